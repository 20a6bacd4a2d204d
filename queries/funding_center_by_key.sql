-- funding_center_by_key: the center whose normalised name is $name_key (id, name); no row if none.
select
    id,
    name
from centers
where name_key = $name_key;

-- funding_center_by_key: the center whose normalised name is $name_key (id, name, division
-- for the writer's scope check); no row if none.
select
    id,
    name,
    division_code
from centers
where name_key = $name_key;

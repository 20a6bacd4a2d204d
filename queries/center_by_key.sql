-- center_by_key: the center whose normalised name is $name_key, if any (names are unique).
select id, name
from centers
where name_key = $name_key;

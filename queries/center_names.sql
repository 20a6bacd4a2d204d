-- center_names: every center's id and name, by name, for the forms' pickers.
select id, name
from centers
order by name;

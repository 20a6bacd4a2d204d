-- center_by_id: one center's stored attributes and version ($id), for the edit form.
select *
from centers
where id = $id;

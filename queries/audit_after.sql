-- audit_after: audit rows with an id above $id, oldest first (what one transaction wrote).
select id, entity, entity_key, before, after
from audit_log
where id > $id
order by id;

-- audit_latest: the newest audit row about one record ($entity, $entity_key), to say who
-- changed it when an edit is refused.
select logged_at, actor, action
from audit_log
where entity = $entity and entity_key = $entity_key
order by id desc
limit 1;

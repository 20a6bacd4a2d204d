-- audit_since: audit rows logged on or after $since (a timestamp), oldest first.
select id, logged_at, actor, action, entity, entity_key, before, after
from audit_log
where logged_at >= $since
order by id;

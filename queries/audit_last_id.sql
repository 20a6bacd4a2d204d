-- audit_last_id: the highest audit row id so far (0 for an empty log).
select coalesce(max(id), 0) as id
from audit_log;

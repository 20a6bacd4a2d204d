-- bulk_audit: audit rows of one import from the registered text table bulk_rows, in order.
insert into audit_log (actor, action, entity, entity_key, before, after)
select actor, action, entity, entity_key, cast(before as json), cast(after as json)
from bulk_rows
order by cast(seq as integer);

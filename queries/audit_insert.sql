-- audit_insert: one audit row ($actor, $action, $entity, $entity_key, $before, $after as JSON text).
insert into audit_log (actor, action, entity, entity_key, before, after)
values ($actor, $action, $entity, $entity_key, $before, $after);

-- scope_audit_none: the audit log reads empty (a viewer).
create temp view audit_log as
select * from tracker.main.audit_log where false;

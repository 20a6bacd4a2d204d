-- scope_audit_own: the audit log holds only the cursor's own changes.
create temp view audit_log as
select * from tracker.main.audit_log where actor in (select actor from scope_actor);

-- restore_audit_log: copy the registered frame restore_src into audit_log (columns by name).
insert into audit_log by name select * from restore_src;

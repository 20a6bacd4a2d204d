-- backup_audit_log: every row of audit_log, for a backup snapshot.
select * from audit_log;

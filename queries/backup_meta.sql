-- backup_meta: every row of meta, for a backup snapshot.
select * from meta;

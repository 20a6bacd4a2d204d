-- backup_members: every row of members, for a backup snapshot.
select * from members;

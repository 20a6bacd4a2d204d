-- backup_centers: every row of centers, for a backup snapshot.
select * from centers;

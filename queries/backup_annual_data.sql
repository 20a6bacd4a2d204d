-- backup_annual_data: every row of annual_data, for a backup snapshot.
select * from annual_data;

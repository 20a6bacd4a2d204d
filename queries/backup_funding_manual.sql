-- backup_funding_manual: every row of funding_manual, for a backup snapshot.
select * from funding_manual;

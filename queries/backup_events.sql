-- backup_events: every row of events, for a backup snapshot.
select * from events;

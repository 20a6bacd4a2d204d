-- backup_briefings: every saved briefing, for a backup snapshot.
select * from briefings;

-- register_clear: empty the register for `db init --force`, inside the caller's transaction.
-- The audit log stays: it records the reset itself, and who did it.
delete from funding_manual;
delete from annual_data;
delete from members;
delete from events;
delete from centers;
delete from meta where key in ('demo', 'demo_seed');

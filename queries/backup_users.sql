-- backup_users: every account (hashes included: a restore must let people sign in).
select * from users;

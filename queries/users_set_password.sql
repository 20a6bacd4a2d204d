-- users_set_password: a new hash for $name, stamped $now; a lock-out and its count end with it.
update users
set password_hash = $password_hash, password_changed_at = $now, failed_count = 0, locked_until = null
where name = $name;

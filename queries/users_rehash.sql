-- users_rehash: store a stronger hash of the same password (argon2 parameters raised);
-- not a password change, so password_changed_at stays.
update users set password_hash = $password_hash where name = $name;

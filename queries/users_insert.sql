-- users_insert: a new account ($name, $role, $county_code, $password_hash, created $now);
-- password_changed_at stays empty until the password is changed (users_set_password).
insert into users (name, role, county_code, password_hash, created_at)
values ($name, $role, $county_code, $password_hash, $now);

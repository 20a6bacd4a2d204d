-- users_sign_in_ok: a successful sign-in of $name ends the run of failures.
update users set failed_count = 0, locked_until = null where name = $name;

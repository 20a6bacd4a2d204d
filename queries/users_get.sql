-- users_get: the account named $name with its hash and sign-in state, or no row (auth.py only).
select name, role, county_code, password_hash, disabled, failed_count, locked_until
from users
where name = $name;

-- users_sign_in_failed: count one more failed sign-in of $name; the $max_failures-th in a row
-- locks the account until $lock_until and starts the count again.
update users
set
    locked_until = case when failed_count + 1 >= $max_failures then $lock_until else locked_until end,
    failed_count = case when failed_count + 1 >= $max_failures then 0 else failed_count + 1 end
where name = $name;

-- scope_users_none: the user accounts read empty for everyone but an admin.
create temp view users as
select * from tracker.main.users where false;

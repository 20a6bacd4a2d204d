-- users_enabled_admins: how many admin accounts are not disabled.
select count(*) as n from users where role = 'admin' and not disabled;

-- users_count: how many accounts exist (disabled ones included).
select count(*) as n from users;

-- users_list: every account with its county's name, by name; never the password hash.
select
    u.name,
    u.role,
    u.county_code,
    d.name as county_name,
    u.disabled,
    u.locked_until,
    u.created_at,
    u.password_changed_at
from users u
left join divisions d on d.code = u.county_code
order by u.name;

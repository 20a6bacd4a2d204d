-- conditions_members: the member units of the centers matching the filters ($sectors, $fields,
-- $counties, $forms: lists, or null for all), for the 三(二)2 membership check. Columns:
-- center_id, position, name, member_type (null when the register gives no type).
select
    m.center_id,
    m.position,
    m.name,
    m.member_type
from members as m
inner join filtered_centers($sectors, $fields, $counties, $forms) as fc on fc.id = m.center_id
order by m.center_id, m.position;

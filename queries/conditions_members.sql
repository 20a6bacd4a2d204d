-- conditions_members: the member units of the centers $ids (a list of center ids), for the
-- 三(二)2 membership check. Columns: center_id, position, name, member_type (null when the
-- register gives no type).
select
    m.center_id,
    m.position,
    m.name,
    m.member_type
from members as m
where m.center_id in (select unnest($ids::integer []))
order by m.center_id, m.position;

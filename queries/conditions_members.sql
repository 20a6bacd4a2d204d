-- conditions_members: every member unit of the register, for the 三(二)2 membership check; the
-- caller keeps those of the centers it checks. The whole table, not the filtered centers': a
-- join to filtered_centers cost more to plan than it saved (5 ms against 1 ms for 60 centers,
-- and no faster for 20,000). Order does not matter to the check. Columns: center_id, name,
-- member_type (null when the register gives no type).
select
    m.center_id,
    m.name,
    m.member_type
from members as m;

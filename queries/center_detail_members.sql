-- center_detail_members: one center's member units ($center_id) in the order entered;
-- columns: position, name, member_type.
select
    position,
    name,
    member_type
from members
where center_id = $center_id
order by position;

-- center_members: one center's member units in the order they were entered.
select position, name, member_type
from members
where center_id = $center_id
order by position;

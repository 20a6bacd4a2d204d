-- members_all: every member unit, in the order it was entered, per center.
select center_id, position, name, member_type
from members
order by center_id, position;

-- bulk_members: insert member units from the registered text table bulk_rows.
insert into members (center_id, position, name, member_type)
select cast(center_id as integer), cast(position as integer), name, member_type
from bulk_rows
order by cast(seq as integer);

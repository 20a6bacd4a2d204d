-- members_delete: drop a center's member list before it is written anew.
delete from members where center_id = $center_id;

-- member_insert: one member unit of a center.
insert into members values ($center_id, $position, $name, $member_type);

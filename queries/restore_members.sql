-- restore_members: copy the registered frame restore_src into members (columns by name).
insert into members by name select * from restore_src;

-- restore_meta: copy the registered frame restore_src into meta (columns by name).
insert into meta by name select * from restore_src;

-- restore_briefings: copy the registered frame restore_src into briefings (columns by name).
insert into briefings by name select * from restore_src;

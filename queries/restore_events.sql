-- restore_events: copy the registered frame restore_src into events (columns by name).
insert into events by name select * from restore_src;

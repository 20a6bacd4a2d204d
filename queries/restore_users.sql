-- restore_users: copy the registered frame restore_src into users (columns by name).
insert into users by name select * from restore_src;

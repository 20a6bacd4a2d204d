-- restore_centers: copy the registered frame restore_src into centers (columns by name).
insert into centers by name select * from restore_src;

-- restore_annual_data: copy the registered frame restore_src into annual_data (columns by name).
insert into annual_data by name select * from restore_src;

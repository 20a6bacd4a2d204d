-- restore_funding_manual: copy the registered frame restore_src into funding_manual (columns by name).
insert into funding_manual by name select * from restore_src;

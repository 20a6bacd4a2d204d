-- center_count: how many centers the register holds (one row, column n).
select count(*) as n from centers;

-- annual_one: one center's annual data for one year, if entered.
select *
from annual_data
where center_id = $center_id and year = $year;

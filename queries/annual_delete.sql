-- annual_delete: drop one center-year of annual data before it is written anew.
delete from annual_data where center_id = $center_id and year = $year;

-- annual_all: every center's annual data rows.
select *
from annual_data
order by center_id, year;

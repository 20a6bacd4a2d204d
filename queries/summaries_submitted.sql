-- summaries_submitted: center-years whose annual summary is recorded as submitted.
select center_id, year
from annual_data
where summary_submitted;

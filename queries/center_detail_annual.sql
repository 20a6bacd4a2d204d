-- center_detail_annual: one center's annual data ($center_id) for years that had ended by
-- $as_of (year-end on or before the date), oldest first; money columns in 万元.
select
    year,
    rd_nonfiscal,
    revenue,
    province_grant,
    new_patents,
    std_local,
    std_industry,
    std_national,
    std_international,
    key_projects,
    tech_transfers,
    talents,
    summary_submitted
from annual_data
where
    center_id = $center_id
    and make_date(year, 12, 31) <= $as_of
order by year;

-- bulk_annual: insert center-years of annual data from the registered text table bulk_rows.
insert into annual_data (
    center_id, year, rd_nonfiscal, revenue, province_grant, new_patents, std_local,
    std_industry, std_national, std_international, key_projects, tech_transfers, talents,
    summary_submitted
)
select
    cast(center_id as integer), cast(year as integer), cast(rd_nonfiscal as decimal(18, 4)),
    cast(revenue as decimal(18, 4)), cast(province_grant as decimal(18, 4)),
    cast(new_patents as integer), cast(std_local as integer), cast(std_industry as integer),
    cast(std_national as integer), cast(std_international as integer),
    cast(key_projects as integer), cast(tech_transfers as integer), cast(talents as integer),
    cast(summary_submitted as boolean)
from bulk_rows
order by cast(seq as integer);

-- annual_insert: one center-year of annual data.
insert into annual_data (
    center_id, year, rd_nonfiscal, revenue, province_grant, new_patents, std_local,
    std_industry, std_national, std_international, key_projects, tech_transfers, talents,
    summary_submitted
)
values (
    $center_id, $year, $rd_nonfiscal, $revenue, $province_grant, $new_patents, $std_local,
    $std_industry, $std_national, $std_international, $key_projects, $tech_transfers,
    $talents, $summary_submitted
);

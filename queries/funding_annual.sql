-- funding_annual: non-fiscal R&D expenditure (rd_nonfiscal) and provincial grant received
-- (province_grant), both 万元 and null when not reported, per center and year up to $max_year,
-- for the centers matching the filters ($sectors, $fields, $counties, $forms).
select
    a.center_id,
    a.year,
    a.rd_nonfiscal,
    a.province_grant
from annual_data as a
inner join filtered_centers($sectors, $fields, $counties, $forms) as c on c.id = a.center_id
where a.year <= $max_year
order by a.center_id, a.year;

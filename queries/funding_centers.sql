-- funding_centers: the centers matching the filters ($sectors, $fields, $counties, $forms), with
-- what the funding rules need: id, name, entity_type, county_code and county (today's unit),
-- field_seq, field, sector, form, and the titles held as of $as_of (cultivation, city,
-- province, national) for the level filter.
select
    c.id as center_id,
    c.name,
    c.entity_type,
    c.county_code,
    d.name as county,
    c.field_seq,
    c.field,
    c.sector,
    c.form,
    s.cultivation,
    s.city,
    s.province,
    s.national
from filtered_centers($sectors, $fields, $counties, $forms) as c
inner join divisions as d on d.code = c.county_code
inner join center_state($as_of) as s on s.center_id = c.id
order by c.field_seq, c.name;

-- fields_centers: the centers matching the filters ($sectors, $fields, $counties, $forms: lists,
-- or null for all) with their stage as of $as_of, in annex field order then by name. A center
-- whose events all lie after $as_of is left out (it was not on the record yet); a center with no
-- events at all stays (stage 'registered'). Columns: center_id, name, seq, sector, field,
-- county_code, county (today's unit), form, stage, live (in cultivation or holding any title),
-- applying, cultivation, city, province, national (what it holds: the fields' counts are sums
-- of these), applied_on, listed_on, city_on, province_on, national_on.
select
    s.center_id,
    c.name,
    s.field_seq as seq,
    s.sector,
    f.name as field,
    s.county_code,
    d.name as county,
    s.form,
    s.stage,
    s.cultivation or s.city or s.province or s.national as live,
    s.applying,
    s.cultivation,
    s.city,
    s.province,
    s.national,
    s.applied_on,
    s.listed_on,
    s.city_on,
    s.province_on,
    s.national_on
from filtered_state($as_of, $sectors, $fields, $counties, $forms) as s
inner join centers as c on c.id = s.center_id
inner join fields as f on f.seq = s.field_seq
inner join divisions as d on d.code = s.county_code
left join first_events() as e on e.center_id = s.center_id
where e.first_on is null or e.first_on <= $as_of
order by s.field_seq, c.name;

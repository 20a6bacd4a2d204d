-- center_list: every center matching the filters with its stage as of $as_of and key dates;
-- columns: id, name, seq, sector, field, county_code, county, division_as_written, form,
-- lead_unit, stage, flags for held titles, applied_on, listed_on, city_on, province_on, national_on.
-- A center whose every event is dated after $as_of did not exist yet then and is left out;
-- a center with no events at all is listed (stage "registered").
select
    c.id,
    c.name,
    c.field_seq as seq,
    s.sector,
    f.name as field,
    s.county_code,
    cu.name as county,
    dw.name as division_as_written,
    c.form,
    c.lead_unit,
    s.stage,
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
inner join fields as f on f.seq = c.field_seq
inner join divisions as cu on cu.code = s.county_code
inner join divisions as dw on dw.code = c.division_code
left join first_events() as fe on fe.center_id = c.id
where fe.first_on is null or fe.first_on <= $as_of
order by c.field_seq, c.name;

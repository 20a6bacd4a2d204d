-- field_check: what the plan's 四 check (one center per key field) needs, for the centers
-- matching the filters ($sectors, $fields, $counties, $forms: lists, or null for all) as of
-- $as_of: those live (in cultivation or holding any title) or applying, by field then name.
-- The same centers and flags as fields_centers.sql; centers holding nothing are left out. The
-- briefing counts each unit's titles from the same rows (what by_county.sql counts).
-- Columns: seq, name, county (today's unit), stage, live, applying, county_code, cultivation,
-- city, province, national, center_id.
select
    s.field_seq as seq,
    c.name,
    d.name as county,
    s.stage,
    s.cultivation or s.city or s.province or s.national as live,
    s.applying,
    s.county_code,
    s.cultivation,
    s.city,
    s.province,
    s.national,
    s.center_id
from filtered_state($as_of, $sectors, $fields, $counties, $forms) as s
inner join centers as c on c.id = s.center_id
inner join divisions as d on d.code = s.county_code
left join first_events() as e on e.center_id = s.center_id
where
    (e.first_on is null or e.first_on <= $as_of)
    and (s.cultivation or s.city or s.province or s.national or s.applying)
order by s.field_seq, c.name;

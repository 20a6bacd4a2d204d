-- by_county: every current reporting unit (divisions, then development zones; zeros included)
-- with the counts held as of $as_of, old county names resolved; filters as in counts.sql.
with s as (
    select *
    from filtered_state($as_of, $sectors, $fields, $counties, $forms)
)

select
    d.code,
    d.name,
    d.kind,
    count(s.center_id) filter (where s.cultivation) as cultivation,
    count(s.center_id) filter (where s.city) as city,
    count(s.center_id) filter (where s.province) as province,
    count(s.center_id) filter (where s.national) as national
from divisions as d
left join s on s.county_code = d.code
where d.valid_to is null
group by d.code, d.name, d.kind
order by d.kind = 'zone', d.code;

-- recent_events: listings, certifications, cancellations and revocations dated after $since and
-- on or before $as_of, newest first, narrowed by the filters. Columns: date, kind, level, center,
-- field, county, center_id.
select
    e.event_date,
    e.kind,
    e.level,
    c.name as center,
    c.field,
    d.name as county,
    c.id as center_id
from events as e
inner join filtered_centers($sectors, $fields, $counties, $forms) as c on c.id = e.center_id
inner join divisions as d on d.code = c.county_code
where
    e.event_date > $since
    and e.event_date <= $as_of
    and e.kind in (
        'cultivation_listed', 'city_certified', 'province_cultivation_listed',
        'province_certified', 'national_certified', 'cultivation_cancelled', 'title_revoked'
    )
order by e.event_date desc, c.name;

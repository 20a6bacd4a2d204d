-- deadline_events: the events deadlines are computed from, on or before $as_of, for the centers
-- matching the filters ($sectors, $fields, $counties, $forms); with center name and today's unit.
select
    c.id as center_id,
    c.name as center,
    d.name as county,
    e.kind,
    e.event_date,
    e.level,
    e.eval_year,
    e.result
from events as e
inner join filtered_centers($sectors, $fields, $counties, $forms) as c on c.id = e.center_id
inner join divisions as d on d.code = c.county_code
where
    e.event_date <= $as_of
    and e.kind in (
        'notice_published', 'cultivation_listed', 'city_certified', 'cultivation_cancelled',
        'evaluation', 'rectification_evaluation', 'title_revoked'
    )
order by c.name, e.event_date, e.id;

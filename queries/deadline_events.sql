-- deadline_events: the events deadlines are computed from, on or before $as_of, for the centers
-- matching the filters ($sectors, $fields, $counties, $forms); with center name and today's unit.
-- Unordered: mic_tracker.deadlines sorts them (sorting here cost more than the query).
select
    e.center_id,
    c.name as center,
    d.name as county,
    e.id,
    e.kind,
    e.event_date,
    e.level,
    e.result
from events as e
inner join filtered_centers($sectors, $fields, $counties, $forms) as c on c.id = e.center_id
inner join divisions as d on d.code = c.county_code
where
    e.event_date <= $as_of
    and e.kind in (
        'notice_published', 'cultivation_listed', 'city_certified', 'cultivation_cancelled',
        'evaluation', 'rectification_evaluation', 'title_revoked'
    );

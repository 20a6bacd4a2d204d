-- funding_events: the events the funding rules read (listings, entity registration,
-- certifications, cancellations, revocations, evaluations), dated on or before $as_of, for the
-- centers matching the filters ($sectors, $fields, $counties, $forms). Columns: center_id, kind,
-- event_date, level, eval_year, result (pass / fail). Ordered by center and date.
select
    e.center_id,
    e.kind,
    e.event_date,
    e.level,
    e.eval_year,
    e.result
from events as e
inner join filtered_centers($sectors, $fields, $counties, $forms) as c on c.id = e.center_id
where
    e.event_date <= $as_of
    and e.kind in (
        'cultivation_listed',
        'province_cultivation_listed',
        'entity_registered',
        'cultivation_cancelled',
        'city_certified',
        'province_certified',
        'national_certified',
        'title_revoked',
        'evaluation',
        'rectification_evaluation'
    )
order by e.center_id, e.event_date, e.id;

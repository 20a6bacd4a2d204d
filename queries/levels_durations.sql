-- levels_durations: days between consecutive stages, for pairs whose later event is on or
-- before $as_of, narrowed by the filters ($sectors, $fields, $counties, $forms). One row per
-- step (apply_listing, listing_city, city_province, province_national) with n (pairs),
-- median_days, min_days, max_days (null when n = 0). A pair is each later event with the
-- latest earlier-stage event on or before it; for apply_listing the start is the first
-- application-stage event of the same episode (after any earlier listing or cancellation).
with ev as (
    select
        e.center_id,
        e.kind,
        e.event_date
    from events as e
    inner join filtered_centers($sectors, $fields, $counties, $forms) as c on c.id = e.center_id
    where e.event_date <= $as_of
),

listings as (
    select center_id, event_date from ev where kind = 'cultivation_listed'
),

city as (
    select center_id, event_date from ev where kind = 'city_certified'
),

province as (
    select center_id, event_date from ev where kind = 'province_certified'
),

national as (
    select center_id, event_date from ev where kind = 'national_certified'
),

-- An episode ends at a listing or a cancellation; the next listing's application starts after.
bounds as (
    select center_id, event_date
    from ev
    where kind in ('cultivation_listed', 'cultivation_cancelled', 'title_revoked')
),

listing_starts as (
    select
        l.center_id,
        l.event_date,
        b.event_date as after_date
    from listings as l
    asof left join bounds as b
        on b.center_id = l.center_id and l.event_date > b.event_date
),

apply_listing as (
    select
        'apply_listing' as step,
        min(a.event_date) as start_date,
        s.event_date as end_date
    from listing_starts as s
    inner join ev as a
        on
            a.center_id = s.center_id
            and a.kind in ('applied', 'county_recommended', 'expert_reviewed', 'notice_published')
            and a.event_date <= s.event_date
            and a.event_date > coalesce(s.after_date, date '0001-01-01')
    group by s.center_id, s.event_date
),

pairs as (
    select * from apply_listing
    union all
    select 'listing_city', l.event_date, t.event_date
    from city as t
    asof join listings as l on l.center_id = t.center_id and t.event_date >= l.event_date
    union all
    select 'city_province', l.event_date, t.event_date
    from province as t
    asof join city as l on l.center_id = t.center_id and t.event_date >= l.event_date
    union all
    select 'province_national', l.event_date, t.event_date
    from national as t
    asof join province as l on l.center_id = t.center_id and t.event_date >= l.event_date
),

steps as (
    select *
    from (
        values
        (1, 'apply_listing'),
        (2, 'listing_city'),
        (3, 'city_province'),
        (4, 'province_national')
    ) as s (position, step)
)

select
    s.step,
    count(p.end_date) as n,
    median(p.end_date - p.start_date) as median_days,
    min(p.end_date - p.start_date) as min_days,
    max(p.end_date - p.start_date) as max_days
from steps as s
left join pairs as p on p.step = s.step
group by s.position, s.step
order by s.position;

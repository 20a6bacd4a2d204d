-- levels_pipeline: the whole levels page in one query (planning a query over the macros costs
-- more than running it at city scale), counting events on or before $as_of, narrowed by the
-- filters ($sectors, $fields, $counties, $forms). One row:
-- held_* = centers at that stage on the date (申报中 and titles held, from filtered_state);
-- ever_* = centers that reached the stage on or before the date, even if later cancelled or
-- revoked (applying: an application-stage event or a listing);
-- conversion counts on first events: listed (ever on the city cultivation list), listed_city
-- (of those, certified at city level), listed_cancelled (of those, ever cancelled), city (ever
-- city-certified), city_province (of those, provincial on or after the first city title),
-- province (ever provincial), province_national (of those, national on or after the first
-- provincial title), province_no_city / national_no_city (first title at that level with no
-- city title on or before it: not via the city pipeline), national (ever national),
-- national_no_province (national without an earlier or same-day provincial title);
-- flows: a list of {year, metric, entered, left_count} per calendar year and metric
-- (cultivation, city, province, national) with entries (列入 / 认定) and exits (取消培育资格 /
-- 撤销称号 at that level), non-zero rows only, by year and metric;
-- durations: a list of {step, n, median_days, min_days, max_days} for the steps
-- apply_listing, listing_city, city_province, province_national in that order (days null when
-- n = 0). A pair is each later event with the latest earlier-stage event on or before it; for
-- apply_listing the start is the first application-stage event of the same episode (after any
-- earlier listing or cancellation).
with firsts as (
    select * from filtered_firsts($as_of, $sectors, $fields, $counties, $forms)
),

held as (
    select
        count(*) filter (where applying) as held_applying,
        count(*) filter (where cultivation) as held_cultivation,
        count(*) filter (where city) as held_city,
        count(*) filter (where province) as held_province,
        count(*) filter (where national) as held_national
    from filtered_state($as_of, $sectors, $fields, $counties, $forms)
),

reached as (
    select
        count(*) filter (
            where applied_on is not null or listed_on is not null
        ) as ever_applying,
        count(listed_on) as ever_cultivation,
        count(city_on) as ever_city,
        count(province_on) as ever_province,
        count(national_on) as ever_national,
        count(listed_on) as listed,
        count(*) filter (where listed_on is not null and city_on >= listed_on) as listed_city,
        count(*) filter (
            where listed_on is not null and cancelled_on >= listed_on
        ) as listed_cancelled,
        count(city_on) as city,
        count(*) filter (where city_on is not null and province_on >= city_on) as city_province,
        count(province_on) as province,
        count(*) filter (
            where province_on is not null and national_on >= province_on
        ) as province_national,
        count(*) filter (
            where province_on is not null and coalesce(city_on > province_on, true)
        ) as province_no_city,
        count(national_on) as national,
        count(*) filter (
            where national_on is not null and coalesce(city_on > national_on, true)
        ) as national_no_city,
        count(*) filter (
            where national_on is not null and coalesce(province_on > national_on, true)
        ) as national_no_province
    from firsts
),

ev as (
    select
        e.center_id,
        e.kind,
        e.level,
        e.event_date
    from events as e
    inner join filtered_centers($sectors, $fields, $counties, $forms) as c on c.id = e.center_id
    where e.event_date <= $as_of
),

moves as (
    select
        year(event_date) as year,
        case
            when kind in ('cultivation_listed', 'cultivation_cancelled') then 'cultivation'
            when kind = 'city_certified' then 'city'
            when kind = 'province_certified' then 'province'
            when kind = 'national_certified' then 'national'
            else level
        end as metric,
        kind in (
            'cultivation_listed', 'city_certified', 'province_certified', 'national_certified'
        ) as is_entry
    from ev
    where
        kind in (
            'cultivation_listed', 'cultivation_cancelled', 'city_certified',
            'province_certified', 'national_certified', 'title_revoked'
        )
),

flows as (
    select
        list(
            {
                'year': year,
                'metric': metric,
                'entered': entered,
                'left_count': left_count
            }
            order by year, metric
        ) as flows
    from (
        select
            year,
            metric,
            count(*) filter (where is_entry) as entered,
            count(*) filter (where not is_entry) as left_count
        from moves
        where metric in ('cultivation', 'city', 'province', 'national')
        group by year, metric
    )
),

listings as (
    select center_id, event_date from ev where kind = 'cultivation_listed'
),

city_titles as (
    select center_id, event_date from ev where kind = 'city_certified'
),

province_titles as (
    select center_id, event_date from ev where kind = 'province_certified'
),

national_titles as (
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
    from city_titles as t
    asof join listings as l on l.center_id = t.center_id and t.event_date >= l.event_date
    union all
    select 'city_province', l.event_date, t.event_date
    from province_titles as t
    asof join city_titles as l on l.center_id = t.center_id and t.event_date >= l.event_date
    union all
    select 'province_national', l.event_date, t.event_date
    from national_titles as t
    asof join province_titles as l on l.center_id = t.center_id and t.event_date >= l.event_date
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
),

durations as (
    select
        list(
            {
                'step': step,
                'n': n,
                'median_days': median_days,
                'min_days': min_days,
                'max_days': max_days
            }
            order by position
        ) as durations
    from (
        select
            s.position,
            s.step,
            count(p.end_date) as n,
            median(p.end_date - p.start_date) as median_days,
            min(p.end_date - p.start_date) as min_days,
            max(p.end_date - p.start_date) as max_days
        from steps as s
        left join pairs as p on p.step = s.step
        group by s.position, s.step
    )
)

select
    held.*,
    reached.*,
    coalesce(flows.flows, []) as flows,
    durations.durations
from held
cross join reached
cross join flows
cross join durations;

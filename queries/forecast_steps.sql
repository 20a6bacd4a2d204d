-- forecast_steps: the history each forecast step learns from, counted on each center's first
-- events on or before $as_of, narrowed by the filters. One row per step (metric = the stage
-- reached): entered (centers that reached the stage below), since_start (of those, on or after
-- $start, the plan's start), converted (reached the stage on or after entering the one below),
-- dropped (cultivation cancelled without a city title: only the city step), median_days (from
-- the stage below to the stage, over converted centers; null when none).
with firsts as (
    select * from filtered_firsts($as_of, $sectors, $fields, $counties, $forms)
),

pairs as (
    select 'cultivation' as metric, applied_on as from_on, listed_on as to_on, null as off_on
    from firsts
    union all
    select 'city', listed_on, city_on, cancelled_on from firsts
    union all
    select 'province', city_on, province_on, null from firsts
    union all
    select 'national', province_on, national_on, null from firsts
)

select
    metric,
    count(from_on) as entered,
    count(*) filter (where from_on >= $start) as since_start,
    count(*) filter (where to_on >= from_on) as converted,
    count(*) filter (
        where off_on >= from_on and (to_on is null or to_on < from_on)
    ) as dropped,
    median(to_on - from_on) filter (where to_on >= from_on) as median_days
from pairs
group by metric;

-- forecast_steps: the history each forecast step learns from, counted on each center's first
-- events on or before $as_of, narrowed by the filters. Rows per step (metric = the stage
-- reached): entered (centers that reached the stage below), since_start (of those, on or after
-- $start, the plan's start), converted (reached the stage on or after entering the one below),
-- dropped (cultivation cancelled without a city title: only the city step), days (from the
-- stage below to the stage, of each converted center; null when none: forecast.steps_from
-- takes their median). Per step, and when $grouped also per the columns the filters read
-- (sector, field_seq, county_code, form; null otherwise): steps_from sums the rows, and a page
-- narrows the city's groups to its filters in memory. Counts and days only, no names.
with firsts as (
    select
        f.*,
        case when $grouped then c.sector end as sector,
        case when $grouped then c.field_seq end as field_seq,
        case when $grouped then c.county_code end as county_code,
        case when $grouped then c.form end as form
    from filtered_firsts($as_of, $sectors, $fields, $counties, $forms) as f
    inner join filtered_centers($sectors, $fields, $counties, $forms) as c on c.id = f.center_id
),

pairs as (
    select
        'cultivation' as metric,
        applied_on as from_on,
        listed_on as to_on,
        null as off_on,
        sector,
        field_seq,
        county_code,
        form
    from firsts
    union all
    select 'city', listed_on, city_on, cancelled_on, sector, field_seq, county_code, form
    from firsts
    union all
    select 'province', city_on, province_on, null, sector, field_seq, county_code, form
    from firsts
    union all
    select 'national', province_on, national_on, null, sector, field_seq, county_code, form
    from firsts
)

select
    metric,
    sector,
    field_seq,
    county_code,
    form,
    count(from_on) as entered,
    count(*) filter (where from_on >= $start) as since_start,
    count(*) filter (where to_on >= from_on) as converted,
    count(*) filter (
        where off_on >= from_on and (to_on is null or to_on < from_on)
    ) as dropped,
    list(to_on - from_on) filter (where to_on >= from_on) as days
from pairs
group by metric, sector, field_seq, county_code, form;

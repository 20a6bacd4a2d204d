-- series: month-end counts of titles held (cultivation, city, province, national) from $start
-- to $end, narrowed by the filters ($sectors, $fields, $counties, $forms). Per month, and when
-- $grouped also per the columns the filters read (sector, field_seq, county_code, form; null
-- otherwise): overview.series_from sums the rows, and the overview narrows the city's groups
-- to its filters in memory. A month no one holds anything in has one row of zeros.
-- Holding runs from an "on" event to the next "off" event of the same metric; an on and an off
-- on the same day hold nothing, as in center_state.
with marks as (
    select
        e.center_id,
        case
            when e.kind in ('cultivation_listed', 'cultivation_cancelled') then 'cultivation'
            when e.kind = 'city_certified' then 'city'
            when e.kind = 'province_certified' then 'province'
            when e.kind = 'national_certified' then 'national'
            else e.level
        end as metric,
        e.event_date,
        e.kind in (
            'cultivation_listed', 'city_certified', 'province_certified', 'national_certified'
        ) as is_on,
        case when $grouped then c.sector end as sector,
        case when $grouped then c.field_seq end as field_seq,
        case when $grouped then c.county_code end as county_code,
        case when $grouped then c.form end as form
    from events as e
    inner join filtered_centers($sectors, $fields, $counties, $forms) as c on c.id = e.center_id
    where
        e.kind in (
            'cultivation_listed', 'cultivation_cancelled', 'city_certified',
            'province_certified', 'national_certified', 'title_revoked'
        )
),

spans as (
    select
        center_id,
        metric,
        is_on,
        event_date as start_date,
        lead(event_date) over (
            partition by center_id, metric order by event_date, is_on desc
        ) as stop_date,
        sector,
        field_seq,
        county_code,
        form
    from marks
),

months as (
    select last_day(m::date) as month_end
    from generate_series($start::date, $end::date, interval 1 month) as g(m)
)

select
    m.month_end,
    s.sector,
    s.field_seq,
    s.county_code,
    s.form,
    count(s.center_id) filter (where s.metric = 'cultivation') as cultivation,
    count(s.center_id) filter (where s.metric = 'city') as city,
    count(s.center_id) filter (where s.metric = 'province') as province,
    count(s.center_id) filter (where s.metric = 'national') as national
from months as m
left join spans as s
    on
        s.is_on
        and s.start_date <= m.month_end
        and (s.stop_date is null or s.stop_date > m.month_end)
group by all
order by m.month_end;

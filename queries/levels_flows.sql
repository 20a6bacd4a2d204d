-- levels_flows: per calendar year and metric (cultivation, city, province, national), how many
-- centers entered (列入市级培育名单 / 认定为市级·省级·国家级) and left (取消培育资格 / 撤销称号 at
-- that level), counting events on or before $as_of, narrowed by the filters ($sectors,
-- $fields, $counties, $forms). Columns: year, metric, entered, left_count. Only non-zero rows.
with moves as (
    select
        year(e.event_date) as year,
        case
            when e.kind in ('cultivation_listed', 'cultivation_cancelled') then 'cultivation'
            when e.kind = 'city_certified' then 'city'
            when e.kind = 'province_certified' then 'province'
            when e.kind = 'national_certified' then 'national'
            else e.level
        end as metric,
        e.kind in (
            'cultivation_listed', 'city_certified', 'province_certified', 'national_certified'
        ) as is_entry
    from events as e
    inner join filtered_centers($sectors, $fields, $counties, $forms) as c on c.id = e.center_id
    where
        e.event_date <= $as_of
        and e.kind in (
            'cultivation_listed', 'cultivation_cancelled', 'city_certified',
            'province_certified', 'national_certified', 'title_revoked'
        )
)

select
    year,
    metric,
    count(*) filter (where is_entry) as entered,
    count(*) filter (where not is_entry) as left_count
from moves
where metric in ('cultivation', 'city', 'province', 'national')
group by year, metric
order by year, metric;

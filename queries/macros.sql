-- Table macros every report builds on; created once each time a process opens the file, in the
-- in-memory catalog that every cursor of that opening shares (db._Instance.prepare). Table
-- names in them bind when a query calls them, so a scoped cursor's temp views still apply.

-- center_state(as_of): one row per center with what it holds as of the date (titles held,
-- not highest level) and which stage-below pipeline it sits in. POLICY.md §2.
create or replace macro memory.main.center_state(as_of) as table
with ev as (
    select
        center_id,
        kind,
        coalesce(level, '') as level,
        event_date
    from events
    where event_date <= as_of
),

last_dates as (
    select
        center_id,
        max(event_date) filter (where kind = 'cultivation_listed') as listed,
        max(event_date) filter (where kind = 'cultivation_cancelled') as cancelled,
        max(event_date) filter (
            where kind in ('applied', 'county_recommended', 'expert_reviewed', 'notice_published')
        ) as applied,
        max(event_date) filter (where kind = 'city_certified') as city_on,
        max(event_date) filter (where kind = 'title_revoked' and level = 'city') as city_off,
        max(event_date) filter (where kind = 'province_cultivation_listed') as province_listed,
        max(event_date) filter (where kind = 'province_certified') as province_on,
        max(event_date) filter (where kind = 'title_revoked' and level = 'province') as province_off,
        max(event_date) filter (where kind = 'national_certified') as national_on,
        max(event_date) filter (where kind = 'title_revoked' and level = 'national') as national_off
    from ev
    group by center_id
),

held as (
    select
        c.id as center_id,
        c.field_seq,
        f.sector,
        c.form,
        d.current_code as county_code,
        coalesce(l.listed > coalesce(l.cancelled, date '0001-01-01'), false) as cultivation,
        coalesce(l.city_on > coalesce(l.city_off, date '0001-01-01'), false) as city,
        coalesce(
            l.province_on > coalesce(l.province_off, date '0001-01-01'), false
        ) as province,
        coalesce(
            l.national_on > coalesce(l.national_off, date '0001-01-01'), false
        ) as national,
        coalesce(
            l.applied > coalesce(greatest(l.listed, l.cancelled), date '0001-01-01'), false
        ) as applying,
        l.province_listed is not null as province_listed,
        coalesce(l.cancelled >= l.listed, false) as cancelled,
        coalesce(l.city_off >= l.city_on, false) as city_revoked,
        l.applied as applied_on,
        l.listed as listed_on,
        l.city_on,
        l.province_on,
        l.national_on
    from centers as c
    inner join fields as f on f.seq = c.field_seq
    inner join divisions as d on d.code = c.division_code
    left join last_dates as l on l.center_id = c.id
)

select
    *,
    applying as pipe_cultivation,
    cultivation and not city as pipe_city,
    (city or province_listed) and not province as pipe_province,
    province and not national as pipe_national,
    case
        when national then 'national'
        when province then 'province'
        when city then 'city'
        when city_revoked then 'revoked'
        when cultivation then 'cultivation'
        when cancelled then 'cancelled'
        when applying then 'applying'
        else 'registered'
    end as stage
from held;

-- filtered_state: center_state narrowed by the report filters (null = no filter).
create or replace macro memory.main.filtered_state(as_of, sectors, fields, counties, forms) as table
select *
from center_state(as_of)
where
    (sectors is null or list_contains(sectors, sector))
    and (fields is null or list_contains(fields, field_seq))
    and (counties is null or list_contains(counties, county_code))
    and (forms is null or list_contains(forms, form));

-- filtered_centers: the centers themselves (no as-of state) narrowed by the report filters.
create or replace macro memory.main.filtered_centers(sectors, fields, counties, forms) as table
select
    c.*,
    f.sector,
    f.name as field,
    d.current_code as county_code
from centers as c
inner join fields as f on f.seq = c.field_seq
inner join divisions as d on d.code = c.division_code
where
    (sectors is null or list_contains(sectors, f.sector))
    and (fields is null or list_contains(fields, c.field_seq))
    and (counties is null or list_contains(counties, d.current_code))
    and (forms is null or list_contains(forms, c.form));

-- filtered_firsts: each center's first event of each stage on or before as_of, narrowed by
-- the report filters (null = no filter): applied_on (申报, 县级推荐, 专家评审 or 公示), listed_on,
-- cancelled_on, city_on, province_on, national_on. For counting how far centers got.
create or replace macro memory.main.filtered_firsts(as_of, sectors, fields, counties, forms) as table
select
    e.center_id,
    min(e.event_date) filter (
        where e.kind in ('applied', 'county_recommended', 'expert_reviewed', 'notice_published')
    ) as applied_on,
    min(e.event_date) filter (where e.kind = 'cultivation_listed') as listed_on,
    min(e.event_date) filter (where e.kind = 'cultivation_cancelled') as cancelled_on,
    min(e.event_date) filter (where e.kind = 'city_certified') as city_on,
    min(e.event_date) filter (where e.kind = 'province_certified') as province_on,
    min(e.event_date) filter (where e.kind = 'national_certified') as national_on
from events as e
inner join filtered_centers(sectors, fields, counties, forms) as c on c.id = e.center_id
where e.event_date <= as_of
group by e.center_id;

-- first_events: each center's first event date of any kind (first_on). A center whose first
-- event lies after a date was not yet in the register on it: lists as of that date leave it
-- out (`where first_on is null or first_on <= as_of`; a center without events stays).
create or replace macro memory.main.first_events() as table
select
    center_id,
    min(event_date) as first_on
from events
group by center_id;

-- counties_units: what the counties page counts, in one pass over the state as of $as_of.
-- Rows with written_code null: every current reporting unit (divisions, then development zones;
-- zeros included) with the centers holding each title, old county names resolved (as
-- by_county.sql). Then one row per abolished division a register row still names (偃师市,
-- 吉利区, 孟津县) with the same counts of the centers written with it, under today's unit they
-- count in (code, name). Filters ($sectors, $fields, $counties, $forms) as in counts.sql.
with per_written as (
    select
        s.county_code,
        c.division_code,
        count(*) filter (where s.cultivation) as cultivation,
        count(*) filter (where s.city) as city,
        count(*) filter (where s.province) as province,
        count(*) filter (where s.national) as national
    from filtered_state($as_of, $sectors, $fields, $counties, $forms) as s
    inner join centers as c on c.id = s.center_id
    group by s.county_code, c.division_code
),

units as (
    select
        d.code,
        d.name,
        d.kind,
        null::varchar as written_code,
        null::varchar as written,
        coalesce(sum(p.cultivation), 0)::bigint as cultivation,
        coalesce(sum(p.city), 0)::bigint as city,
        coalesce(sum(p.province), 0)::bigint as province,
        coalesce(sum(p.national), 0)::bigint as national
    from divisions as d
    left join per_written as p on p.county_code = d.code
    where d.valid_to is null
    group by d.code, d.name, d.kind
),

old_names as (
    select
        unit.code,
        unit.name,
        unit.kind,
        written.code as written_code,
        written.name as written,
        p.cultivation,
        p.city,
        p.province,
        p.national
    from per_written as p
    inner join divisions as written on written.code = p.division_code
    inner join divisions as unit on unit.code = written.current_code
    where written.valid_to is not null
)

select * from units
union all
select * from old_names
order by written_code is not null, kind = 'zone', code, written_code;

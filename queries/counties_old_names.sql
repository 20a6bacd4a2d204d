-- counties_old_names: centers counted for metric $metric (cultivation/city/province/national) as
-- of $as_of whose register row names an abolished division (偃师市, 吉利区, 孟津县), by the name
-- as written and today's unit they count under; filters ($sectors, $fields, $counties, $forms) as
-- in counts.sql.
with s as (
    select *
    from filtered_state($as_of, $sectors, $fields, $counties, $forms)
),

counted as (
    select s.center_id
    from s
    where
        case $metric
            when 'cultivation' then s.cultivation
            when 'city' then s.city
            when 'province' then s.province
            when 'national' then s.national
        end
)

select
    written.code as written_code,
    written.name as written,
    unit.code,
    unit.name,
    count(*) as centers
from counted
inner join centers as c on c.id = counted.center_id
inner join divisions as written on written.code = c.division_code
inner join divisions as unit on unit.code = written.current_code
where written.valid_to is not null
group by written.code, written.name, unit.code, unit.name
order by unit.code, written.code;

-- by_field: all key fields of the annex (zeros included) with the counts held as of $as_of,
-- narrowed by the filters ($sectors, $fields, $counties, $forms).
with s as (
    select *
    from filtered_state($as_of, $sectors, $fields, $counties, $forms)
)

select
    f.seq,
    f.sector,
    f.name as field,
    count(s.center_id) filter (where s.cultivation) as cultivation,
    count(s.center_id) filter (where s.city) as city,
    count(s.center_id) filter (where s.province) as province,
    count(s.center_id) filter (where s.national) as national
from fields as f
left join s on s.field_seq = f.seq
group by f.seq, f.sector, f.name
order by f.seq;

-- fields_coverage: every key field of the annex (31 rows, annex order, zeros included) with the
-- centers it has as of $as_of, narrowed by the filters ($sectors, $fields, $counties, $forms:
-- lists, or null for all). Columns: seq, sector, field, in_scope (the field itself passes the
-- sector and field filters), applying, cultivation, city, province, national (titles held),
-- live (centers in cultivation or holding any title: the plan's 四 one-per-field check).
with s as (
    select *
    from filtered_state($as_of, $sectors, $fields, $counties, $forms)
)

select
    f.seq,
    f.sector,
    f.name as field,
    ($sectors is null or list_contains($sectors, f.sector))
    and ($fields is null or list_contains($fields, f.seq)) as in_scope,
    count(s.center_id) filter (where s.applying) as applying,
    count(s.center_id) filter (where s.cultivation) as cultivation,
    count(s.center_id) filter (where s.city) as city,
    count(s.center_id) filter (where s.province) as province,
    count(s.center_id) filter (where s.national) as national,
    count(s.center_id) filter (
        where s.cultivation or s.city or s.province or s.national
    ) as live
from fields as f
left join s on s.field_seq = f.seq
group by f.seq, f.sector, f.name
order by f.seq;

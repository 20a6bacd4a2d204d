-- funding_manual_totals: hand-entered amounts entered on or before $as_of, summed per center and
-- year: case_by_case (一事一议) and disbursed (实际拨付), 万元, for the centers matching the
-- filters ($sectors, $fields, $counties, $forms).
select
    m.center_id,
    m.year,
    coalesce(sum(m.amount) filter (where m.kind = 'case_by_case'), 0) as case_by_case,
    coalesce(sum(m.amount) filter (where m.kind = 'disbursed'), 0) as disbursed
from funding_manual as m
inner join filtered_centers($sectors, $fields, $counties, $forms) as c on c.id = m.center_id
where cast(m.entered_at as date) <= $as_of
group by m.center_id, m.year
order by m.center_id, m.year;

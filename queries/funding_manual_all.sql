-- funding_manual_all: the hand-entered amounts entered on or before $as_of for the centers
-- matching the filters ($sectors, $fields, $counties, $forms), newest first: id, center, year,
-- kind (case_by_case / disbursed), amount 万元, note, entered_at, entered_by.
select
    m.id,
    c.name as center,
    m.year,
    m.kind,
    m.amount,
    m.note,
    m.entered_at,
    m.entered_by
from funding_manual as m
inner join filtered_centers($sectors, $fields, $counties, $forms) as c on c.id = m.center_id
where cast(m.entered_at as date) <= $as_of
order by m.entered_at desc, m.id desc;

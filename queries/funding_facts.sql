-- funding_facts: everything the funding rules read, for the centers matching the filters
-- ($sectors, $fields, $counties, $forms), in one result: the state macro is read once (each
-- reading costs ~10 ms to plan, and the page needed four). `fact` says what a row is; columns
-- another fact does not use are null. Unordered: the reader sorts each fact (sorting the
-- union's wide rows here took longer than the rest of the query).
--   center: center_id, name, entity_type, county_code, county (today's unit), field_seq, field,
--           sector, form, and the titles held as of $as_of (cultivation, city, province,
--           national).
--   event:  event_id, center_id, kind, event_date, level, eval_year, result (pass / fail):
--           the events the rules read, dated on or before $as_of.
--   annual: center_id, year (up to $max_year), rd (non-fiscal R&D) and grant (provincial grant
--           received), in whole yuan (the columns are 万元 to four decimals, so × 10000 is
--           exact), null when not reported.
--   entry:  entry_id, center_id, name, year, kind (case_by_case / disbursed), amount (万元)
--           and yuan, note, entered_at, entered_by: the hand-entered amounts entered on or
--           before $as_of.
with c as materialized (
    select
        s.center_id,
        x.name,
        x.entity_type,
        s.county_code,
        d.name as county,
        s.field_seq,
        f.name as field,
        s.sector,
        s.form,
        s.cultivation,
        s.city,
        s.province,
        s.national
    from filtered_state($as_of, $sectors, $fields, $counties, $forms) as s
    inner join centers as x on x.id = s.center_id
    inner join fields as f on f.seq = s.field_seq
    inner join divisions as d on d.code = s.county_code
)

select
    'center' as fact,
    c.*
from c

union all by name

select
    'event' as fact,
    e.id as event_id,
    e.center_id,
    e.kind,
    e.event_date,
    e.level,
    e.eval_year,
    e.result
from events as e
semi join c on c.center_id = e.center_id
where
    e.event_date <= $as_of
    and e.kind in (
        'cultivation_listed',
        'province_cultivation_listed',
        'entity_registered',
        'cultivation_cancelled',
        'city_certified',
        'province_certified',
        'national_certified',
        'title_revoked',
        'evaluation',
        'rectification_evaluation'
    )

union all by name

select
    'annual' as fact,
    a.center_id,
    a.year,
    cast(a.rd_nonfiscal * 10000 as bigint) as rd,
    cast(a.province_grant * 10000 as bigint) as grant
from annual_data as a
semi join c on c.center_id = a.center_id
where a.year <= $max_year

union all by name

select
    'entry' as fact,
    m.id as entry_id,
    m.center_id,
    c.name,
    m.year,
    m.kind,
    m.amount,
    cast(m.amount * 10000 as bigint) as yuan,
    m.note,
    m.entered_at,
    m.entered_by
from funding_manual as m
inner join c on c.center_id = m.center_id
where cast(m.entered_at as date) <= $as_of
;

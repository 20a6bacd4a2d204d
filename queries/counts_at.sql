-- counts_at: titles held and stage-below pipelines as of each date in $dates (a list), narrowed
-- by the filters ($sectors, $fields, $counties, $forms: lists, or null for all). Per date, and
-- when $grouped also per the columns the filters read (sector, field_seq, county_code, form;
-- null otherwise): report.counts_from sums the rows, and a page narrows the city's groups to
-- its filters in memory (one reading per date). Ungrouped, the CLI gets one row a date, not
-- thousands of groups to sum at a province's scale. A date with no center has one row of zeros
-- and null columns. One query for several dates: planning a query over the state macro costs
-- more than running it at city scale, and a report needs the counts at up to five dates.
select
    d.as_of,
    case when $grouped then s.sector end as sector,
    case when $grouped then s.field_seq end as field_seq,
    case when $grouped then s.county_code end as county_code,
    case when $grouped then s.form end as form,
    count(s.center_id) filter (where s.cultivation) as cultivation,
    count(s.center_id) filter (where s.city) as city,
    count(s.center_id) filter (where s.province) as province,
    count(s.center_id) filter (where s.national) as national,
    count(s.center_id) filter (where s.pipe_cultivation) as pipe_cultivation,
    count(s.center_id) filter (where s.pipe_city) as pipe_city,
    count(s.center_id) filter (where s.pipe_province) as pipe_province,
    count(s.center_id) filter (where s.pipe_national) as pipe_national
from (select distinct unnest($dates::date []) as as_of) as d
left join lateral (
    select * from filtered_state(d.as_of, $sectors, $fields, $counties, $forms)
) as s on true
group by all;

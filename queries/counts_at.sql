-- counts_at: titles held and stage-below pipelines as of each date in $dates (a list), narrowed
-- by the filters ($sectors, $fields, $counties, $forms: lists, or null for all), per date and
-- per the columns the filters read (sector, field_seq, county_code, form): report.counts_from
-- sums them, and a page narrows the city's groups to its filters in memory (one reading per
-- date). A date with no center has one row of zeros and null columns. One query for several
-- dates: planning a query over the state macro costs more than running it at city scale, and
-- a report needs the counts at up to five dates.
select
    d.as_of,
    s.sector,
    s.field_seq,
    s.county_code,
    s.form,
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
group by d.as_of, s.sector, s.field_seq, s.county_code, s.form;

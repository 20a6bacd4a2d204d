-- forecast_pool: the centers in a stage-below pipeline as of $as_of (POLICY.md §2, the same
-- flags the target status uses), narrowed by the filters, with the latest listing date (the
-- cultivation period runs from it) and the columns the filters read (sector, field_seq,
-- county_code, form: a page narrows the city's rows to its filters in memory). No names.
select
    pipe_cultivation,
    pipe_city,
    pipe_province,
    pipe_national,
    listed_on,
    sector,
    field_seq,
    county_code,
    form
from filtered_state($as_of, $sectors, $fields, $counties, $forms)
where pipe_cultivation or pipe_city or pipe_province or pipe_national;

-- counts: titles held and stage-below pipelines as of $as_of, narrowed by the filters
-- ($sectors, $fields, $counties, $forms: lists, or null for all). One row.
select
    count(*) filter (where cultivation) as cultivation,
    count(*) filter (where city) as city,
    count(*) filter (where province) as province,
    count(*) filter (where national) as national,
    count(*) filter (where pipe_cultivation) as pipe_cultivation,
    count(*) filter (where pipe_city) as pipe_city,
    count(*) filter (where pipe_province) as pipe_province,
    count(*) filter (where pipe_national) as pipe_national
from filtered_state($as_of, $sectors, $fields, $counties, $forms);

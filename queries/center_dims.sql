-- center_dims: every center's id with what the report filters read (sector, field 序号, today's
-- county code, form), for narrowing a city-wide result in memory (mic_tracker.narrowing).
select
    id as center_id,
    sector,
    field_seq,
    county_code,
    form
from filtered_centers(null, null, null, null)
order by id;

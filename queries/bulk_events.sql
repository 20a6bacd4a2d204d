-- bulk_events: insert checked lifecycle events from the registered text table bulk_rows.
insert into events (center_id, kind, event_date, level, eval_year, result, note)
select
    cast(center_id as integer), kind, cast(event_date as date), level,
    cast(eval_year as integer), result, note
from bulk_rows
order by cast(seq as integer);

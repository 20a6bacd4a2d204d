-- center_detail_events: one center's events ($center_id) dated on or before $as_of, oldest
-- first; columns: event_date, kind, level, eval_year, result, note.
select
    event_date,
    kind,
    level,
    eval_year,
    result,
    note
from events
where
    center_id = $center_id
    and event_date <= $as_of
order by event_date, id;

-- center_events: every event of one center ($center_id), for replaying its lifecycle.
select id, kind, event_date, level, eval_year, result, note
from events
where center_id = $center_id
order by event_date, id;

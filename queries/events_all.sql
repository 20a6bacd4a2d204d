-- events_all: every lifecycle event, per center in date order.
select id, center_id, kind, event_date, level, eval_year, result, note
from events
order by center_id, event_date, id;

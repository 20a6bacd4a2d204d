-- event_insert: one dated lifecycle event.
insert into events (center_id, kind, event_date, level, eval_year, result, note)
values ($center_id, $kind, $event_date, $level, $eval_year, $result, $note);

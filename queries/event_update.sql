-- event_update: change the details (not the identity: kind, date, level) of an event.
update events
set eval_year = $eval_year, result = $result, note = $note
where id = $id;

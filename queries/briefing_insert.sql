-- briefing_insert: save one briefing ($title, $as_of, $filters JSON, $figures JSON, $saved_by);
-- returns its id and saved_at.
insert into briefings (title, as_of, filters, figures, saved_by)
values ($title, $as_of, $filters, $figures, $saved_by)
returning id, saved_at;

-- funding_manual_insert: one hand-entered amount ($center_id, $year, $kind, $amount 万元, $note,
-- $entered_by); returns the new row's id and entered_at.
insert into funding_manual (center_id, year, kind, amount, note, entered_by)
values ($center_id, $year, $kind, $amount, $note, $entered_by)
returning id, entered_at;

-- briefing_list: saved briefings of one view ($filters JSON text), newest as-of date first.
select id, title, as_of, filters, figures, saved_at, saved_by
from briefings
where filters = $filters
order by as_of desc, saved_at desc, id desc;

-- data_version: the version every write bumps, the last change and the demo flag (meta rows),
-- and the number of centers, as key/value text rows (ui.data.read_status reads them). Plain rows:
-- the app asks on every rerun, and a query of filtered aggregates took twice as long to plan.
select key, value
from meta
where key in ('data_version', 'last_change', 'demo')
union all
select 'centers' as key, count(*)::varchar as value
from centers;

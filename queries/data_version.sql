-- data_version: the version every write bumps, the last change and the demo flag (one row).
select
    coalesce(max(value) filter (where key = 'data_version'), '0') as data_version,
    max(value) filter (where key = 'last_change') as last_change,
    coalesce(max(value) filter (where key = 'demo'), 'false') = 'true' as demo,
    (select count(*) from centers) as centers
from meta;

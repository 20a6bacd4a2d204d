-- funding_manual_total: the total, in whole yuan, of the hand-entered amounts of one kind
-- ($kind) for one center ($center_id) and year ($year); 0 when there are none.
select coalesce(sum(cast(amount * 10000 as bigint)), 0) as yuan
from funding_manual
where center_id = $center_id and year = $year and kind = $kind;

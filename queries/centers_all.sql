-- centers_all: every center with all its template attributes (import matching, export).
select *
from centers
order by id;

-- divisions_all: every division and zone, historical ones included, with today's unit.
select code, name, short_name, kind, valid_from, valid_to, successor_code, current_code
from divisions
order by kind = 'zone', code;

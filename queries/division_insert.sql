-- division_insert: one division or development zone with today's reporting unit ($current_code).
insert into divisions
values ($code, $name, $short_name, $kind, $valid_from, $valid_to, $successor_code, $current_code);

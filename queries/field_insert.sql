-- field_insert: one key field of the annex ($seq, $sector, $name).
insert into fields values ($seq, $sector, $name);

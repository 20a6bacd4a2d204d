-- meta_get: the value stored under $key, or no row.
select value from meta where key = $key;

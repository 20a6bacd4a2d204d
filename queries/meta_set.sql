-- meta_set: store $value under $key (insert or overwrite). Returns nothing.
insert into meta values ($key, $value)
on conflict (key) do update set value = excluded.value;

-- scope_actor: the person whose own audit rows the cursor may read.
insert into scope_actor values ($actor);

-- scope_division: one division (current unit code) the cursor may read.
insert into scope_divisions values ($code);

-- center_ids: $n new center ids from the sequence, for centers inserted together.
select nextval('center_id_seq') as id
from range($n);

-- sequence_advance: draw $n values from sequence $seq so new rows get ids above restored ones.
select max(nextval($seq)) as last from range($n);

-- use_tracker: make the register file the default catalog of a cursor; the report macros,
-- defined once per opening in the in-memory catalog (queries/macros.sql), are found after it.
use tracker;
set search_path = 'tracker.main,memory.main';

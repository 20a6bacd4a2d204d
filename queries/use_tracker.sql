-- use_tracker: make the register file the default catalog of a cursor.
use tracker;

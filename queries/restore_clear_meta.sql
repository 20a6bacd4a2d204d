-- restore_clear_meta: empty meta in a new database before the backup's meta is copied in.
delete from meta;

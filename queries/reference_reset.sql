-- reference_reset: empty the reference tables before they are reloaded from data/.
delete from fields;
delete from divisions;

-- users_set_disabled: disable or enable the account $name ($disabled true/false).
update users set disabled = $disabled where name = $name;

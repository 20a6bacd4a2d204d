-- 0003: built-in user accounts (mic_tracker.auth). Only an argon2id hash of a password is
-- kept. county_code is the current division a county editor may edit; auth.py requires it
-- for role county_editor and refuses it for the others (a check here could not resolve names).
-- failed_count and locked_until live here, not in a session, so a lock-out holds across
-- browser tabs and processes.
create table users (
    name varchar primary key,
    role varchar not null check (role in ('admin', 'editor', 'viewer', 'county_editor')),
    county_code varchar,
    password_hash varchar not null,
    disabled boolean not null default false,
    failed_count integer not null default 0,
    locked_until timestamp,
    created_at timestamp not null default current_timestamp,
    password_changed_at timestamp
);

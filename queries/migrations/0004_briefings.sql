-- 0004: saved leadership briefings (mic_tracker.briefing). A briefing keeps its figures as they
-- were when saved (counts and statuses only, no center names), so "since the last briefing"
-- compares with what leaders were actually shown, even if the register was corrected later.
create sequence briefing_id_seq start 1;
create table briefings (
    id integer primary key default nextval('briefing_id_seq'),
    title varchar not null,
    as_of date not null,
    filters varchar not null,            -- Filters.as_json(), as JSON text: the view compared
    figures varchar not null,            -- JSON: targets (year, metric, actual, target, status)
    saved_at timestamp not null default current_timestamp,
    saved_by varchar not null
);

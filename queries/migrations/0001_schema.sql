-- 0001: the register. Status is never stored: it is derived from dated events.
create table meta (
    key varchar primary key,
    value varchar
);

-- Reference data, refreshed from data/ when those files change (see db.sync_reference).
create table fields (
    seq integer primary key,
    sector varchar not null,
    name varchar not null
);

create table divisions (
    code varchar primary key,
    name varchar not null,
    short_name varchar,
    kind varchar not null,
    valid_from date,
    valid_to date,
    successor_code varchar,
    current_code varchar not null
);

create sequence center_id_seq start 1;
create table centers (
    id integer primary key default nextval('center_id_seq'),
    name varchar not null,
    name_key varchar not null unique,
    field_seq integer not null,
    form varchar,
    lead_unit varchar,
    lead_unit_type varchar,
    division_code varchar not null,
    entity_name varchar,
    entity_type varchar,
    registered_capital decimal(18, 4),      -- 万元
    tech_staff integer,
    lead_prior_revenue decimal(18, 4),      -- 万元
    provincial_carrier boolean,
    patents integer,
    violations_3y boolean,
    management_in_place boolean,
    internal_systems boolean,
    expert_committee boolean,
    charter boolean,
    open_ip_rules boolean,
    version integer not null default 1,
    updated_at timestamp not null default current_timestamp
);

create table members (
    center_id integer not null,
    position integer not null,
    name varchar not null,
    member_type varchar
);

create sequence event_id_seq start 1;
create table events (
    id integer primary key default nextval('event_id_seq'),
    center_id integer not null,
    kind varchar not null,
    event_date date not null,
    level varchar,                 -- city / province / national, where the event has one
    eval_year integer,             -- evaluation: the year evaluated
    result varchar,                -- evaluation, rectification_evaluation: pass / fail
    note varchar,
    created_at timestamp not null default current_timestamp
);
create index events_center on events (center_id);

create table annual_data (
    center_id integer not null,
    year integer not null,
    rd_nonfiscal decimal(18, 4),     -- 非财政研发经费支出, 万元
    revenue decimal(18, 4),          -- 营业收入, 万元
    province_grant decimal(18, 4),   -- 省级补助资金, 万元
    new_patents integer,
    std_local integer,
    std_industry integer,
    std_national integer,
    std_international integer,
    key_projects integer,
    tech_transfers integer,
    talents integer,
    summary_submitted boolean
);

create sequence audit_id_seq start 1;
create table audit_log (
    id integer primary key default nextval('audit_id_seq'),
    logged_at timestamp not null default current_timestamp,
    actor varchar not null,
    action varchar not null,        -- import / form / cli / init …
    entity varchar not null,        -- center / event / member / annual / database
    entity_key varchar,
    before json,
    after json
);

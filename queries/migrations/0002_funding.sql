-- 0002: hand-entered funding amounts (POLICY.md §6, last point), shown beside the computed
-- entitlement: 一事一议 case-by-case support and 实际拨付 actual disbursements, in 万元.
-- Rows are never updated: a correction is a further row (a negative amount reduces the total).
create sequence funding_manual_id_seq start 1;
create table funding_manual (
    id integer primary key default nextval('funding_manual_id_seq'),
    center_id integer not null,
    year integer not null,
    kind varchar not null check (kind in ('case_by_case', 'disbursed')),
    amount decimal(18, 4) not null,      -- 万元
    note varchar,
    entered_at timestamp not null default current_timestamp,
    entered_by varchar not null
);
create index funding_manual_center on funding_manual (center_id, year);

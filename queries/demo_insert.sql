-- demo_insert: bulk-load the demo register from the registered frames demo_centers,
-- demo_members, demo_events and demo_annual (joined to centers by name_key).
insert into centers (
    name, name_key, field_seq, form, lead_unit, lead_unit_type, division_code, entity_name,
    entity_type, registered_capital, tech_staff, lead_prior_revenue, provincial_carrier,
    patents, violations_3y, management_in_place, internal_systems, expert_committee, charter,
    open_ip_rules
)
select
    name, name_key, field_seq, form, lead_unit, lead_unit_type, division_code, entity_name,
    entity_type, registered_capital, tech_staff, lead_prior_revenue, provincial_carrier,
    patents, violations_3y, management_in_place, internal_systems, expert_committee, charter,
    open_ip_rules
from demo_centers
order by position;

insert into members
select c.id, m.position, m.name, m.member_type
from demo_members as m
inner join centers as c on c.name_key = m.name_key;

insert into events (center_id, kind, event_date, level, eval_year, result, note)
select c.id, e.kind, e.event_date, e.level, e.eval_year, e.result, e.note
from demo_events as e
inner join centers as c on c.name_key = e.name_key
order by c.id, e.event_date;

insert into annual_data (
    center_id, year, rd_nonfiscal, revenue, province_grant, new_patents, std_local,
    std_industry, std_national, std_international, key_projects, tech_transfers, talents,
    summary_submitted
)
select
    c.id, a.year, a.rd_nonfiscal, a.revenue, a.province_grant, a.new_patents, a.std_local,
    a.std_industry, a.std_national, a.std_international, a.key_projects, a.tech_transfers,
    a.talents, a.summary_submitted
from demo_annual as a
inner join centers as c on c.name_key = a.name_key;

-- center_detail_attributes: one center's template attributes ($center_id) with its field and
-- sector, the division as written (division_as_written) and today's unit (county); money in 万元.
select
    c.id,
    c.name,
    c.field_seq as seq,
    f.sector,
    f.name as field,
    c.form,
    c.lead_unit,
    c.lead_unit_type,
    dw.name as division_as_written,
    cu.name as county,
    c.entity_name,
    c.entity_type,
    c.registered_capital,
    c.tech_staff,
    c.lead_prior_revenue,
    c.provincial_carrier,
    c.patents,
    c.violations_3y,
    c.management_in_place,
    c.internal_systems,
    c.expert_committee,
    c.charter,
    c.open_ip_rules
from centers as c
inner join fields as f on f.seq = c.field_seq
inner join divisions as dw on dw.code = c.division_code
inner join divisions as cu on cu.code = dw.current_code
where c.id = $center_id;

-- bulk_centers: insert the new centers of an import from the registered text table bulk_rows
-- (ids already drawn with center_ids), in file order.
insert into centers (
    id, name, name_key, field_seq, form, lead_unit, lead_unit_type, division_code, entity_name,
    entity_type, registered_capital, tech_staff, lead_prior_revenue, provincial_carrier,
    patents, violations_3y, management_in_place, internal_systems, expert_committee, charter,
    open_ip_rules
)
select
    cast(id as integer), name, name_key, cast(field_seq as integer), form, lead_unit,
    lead_unit_type, division_code, entity_name, entity_type,
    cast(registered_capital as decimal(18, 4)), cast(tech_staff as integer),
    cast(lead_prior_revenue as decimal(18, 4)), cast(provincial_carrier as boolean),
    cast(patents as integer), cast(violations_3y as boolean),
    cast(management_in_place as boolean), cast(internal_systems as boolean),
    cast(expert_committee as boolean), cast(charter as boolean), cast(open_ip_rules as boolean)
from bulk_rows
order by cast(seq as integer);

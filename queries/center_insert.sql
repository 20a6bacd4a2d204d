-- center_insert: a new center; returns its id.
insert into centers (
    name, name_key, field_seq, form, lead_unit, lead_unit_type, division_code, entity_name,
    entity_type, registered_capital, tech_staff, lead_prior_revenue, provincial_carrier,
    patents, violations_3y, management_in_place, internal_systems, expert_committee, charter,
    open_ip_rules
)
values (
    $name, $name_key, $field_seq, $form, $lead_unit, $lead_unit_type, $division_code,
    $entity_name, $entity_type, $registered_capital, $tech_staff, $lead_prior_revenue,
    $provincial_carrier, $patents, $violations_3y, $management_in_place, $internal_systems,
    $expert_committee, $charter, $open_ip_rules
)
returning id;

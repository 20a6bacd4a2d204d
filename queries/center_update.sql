-- center_update: overwrite a center's attributes and bump its version (optimistic checks).
update centers
set
    name = $name,
    field_seq = $field_seq,
    form = $form,
    lead_unit = $lead_unit,
    lead_unit_type = $lead_unit_type,
    division_code = $division_code,
    entity_name = $entity_name,
    entity_type = $entity_type,
    registered_capital = $registered_capital,
    tech_staff = $tech_staff,
    lead_prior_revenue = $lead_prior_revenue,
    provincial_carrier = $provincial_carrier,
    patents = $patents,
    violations_3y = $violations_3y,
    management_in_place = $management_in_place,
    internal_systems = $internal_systems,
    expert_committee = $expert_committee,
    charter = $charter,
    open_ip_rules = $open_ip_rules,
    version = version + 1,
    updated_at = current_timestamp
where id = $id;

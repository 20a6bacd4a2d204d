-- conditions_centers: the centers matching the filters ($sectors, $fields, $counties, $forms: lists,
-- or null for all) as of $as_of, by name, with what the plan's conditions (三) and acceptance
-- conditions (四(三)) read, in the stages $stages (a list of stage keys, or null for all). A center
-- whose every event is dated after $as_of is left out; a center with no events stays. Columns: center_id, name, county (today's unit), stage, lead_unit,
-- lead_unit_type, lead_prior_revenue, provincial_carrier, patents, violations_3y, tech_staff,
-- registered_capital, expert_committee, charter, open_ip_rules, management_in_place,
-- internal_systems, entity_on (the entity_registered date on or before $as_of, else null).
with center_events as (
    select
        center_id,
        min(event_date) as first_on,
        min(event_date) filter (
            where kind = 'entity_registered' and event_date <= $as_of
        ) as entity_on
    from events
    group by center_id
)

select
    s.center_id,
    c.name,
    d.name as county,
    s.stage,
    c.lead_unit,
    c.lead_unit_type,
    c.lead_prior_revenue,
    c.provincial_carrier,
    c.patents,
    c.violations_3y,
    c.tech_staff,
    c.registered_capital,
    c.expert_committee,
    c.charter,
    c.open_ip_rules,
    c.management_in_place,
    c.internal_systems,
    ce.entity_on
from filtered_state($as_of, $sectors, $fields, $counties, $forms) as s
inner join centers as c on c.id = s.center_id
inner join divisions as d on d.code = s.county_code
left join center_events as ce on ce.center_id = s.center_id
where
    (ce.first_on is null or ce.first_on <= $as_of)
    and ($stages is null or list_contains($stages, s.stage))
order by c.name, s.center_id;

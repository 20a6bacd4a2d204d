-- levels_funnel: the pipeline as of $as_of, narrowed by the filters ($sectors, $fields,
-- $counties, $forms). One row: held_* = centers at that stage on the date (申报中 and titles
-- held, from filtered_state); ever_* = centers that reached the stage on or before the date,
-- even if later cancelled or revoked (applying: an application-stage event or a listing).
with reached as (
    select
        e.center_id,
        min(e.event_date) filter (
            where e.kind in (
                'applied', 'county_recommended', 'expert_reviewed', 'notice_published',
                'cultivation_listed'
            )
        ) as applying_on,
        min(e.event_date) filter (where e.kind = 'cultivation_listed') as cultivation_on,
        min(e.event_date) filter (where e.kind = 'city_certified') as city_on,
        min(e.event_date) filter (where e.kind = 'province_certified') as province_on,
        min(e.event_date) filter (where e.kind = 'national_certified') as national_on
    from events as e
    inner join filtered_centers($sectors, $fields, $counties, $forms) as c on c.id = e.center_id
    where e.event_date <= $as_of
    group by e.center_id
),

held as (
    select
        count(*) filter (where applying) as held_applying,
        count(*) filter (where cultivation) as held_cultivation,
        count(*) filter (where city) as held_city,
        count(*) filter (where province) as held_province,
        count(*) filter (where national) as held_national
    from filtered_state($as_of, $sectors, $fields, $counties, $forms)
),

ever as (
    select
        count(applying_on) as ever_applying,
        count(cultivation_on) as ever_cultivation,
        count(city_on) as ever_city,
        count(province_on) as ever_province,
        count(national_on) as ever_national
    from reached
)

select
    held.*,
    ever.*
from held
cross join ever;

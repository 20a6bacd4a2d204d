-- levels_funnel: the pipeline as of $as_of, narrowed by the filters ($sectors, $fields,
-- $counties, $forms). One row: held_* = centers at that stage on the date (申报中 and titles
-- held, from filtered_state); ever_* = centers that reached the stage on or before the date,
-- even if later cancelled or revoked (applying: an application-stage event or a listing).
with reached as (
    select
        center_id,
        coalesce(least(applied_on, listed_on), applied_on, listed_on) as applying_on,
        listed_on as cultivation_on,
        city_on,
        province_on,
        national_on
    from filtered_firsts($as_of, $sectors, $fields, $counties, $forms)
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

-- levels_conversion: how far centers got, counted on events on or before $as_of and narrowed
-- by the filters ($sectors, $fields, $counties, $forms). One row of center counts:
-- listed (ever on the city cultivation list), listed_city (of those, certified at city level),
-- listed_cancelled (of those, ever cancelled), city (ever city-certified), city_province (of
-- those, certified provincial on or after the first city certification), province (ever
-- provincial), province_national (of those, national on or after the first provincial title),
-- province_no_city / national_no_city (first title at that level with no city certification on
-- or before it: not via the city pipeline), national_no_province (national without an earlier
-- or same-day provincial title).
with firsts as (
    select * from filtered_firsts($as_of, $sectors, $fields, $counties, $forms)
)

select
    count(listed_on) as listed,
    count(*) filter (where listed_on is not null and city_on >= listed_on) as listed_city,
    count(*) filter (
        where listed_on is not null and cancelled_on >= listed_on
    ) as listed_cancelled,
    count(city_on) as city,
    count(*) filter (where city_on is not null and province_on >= city_on) as city_province,
    count(province_on) as province,
    count(*) filter (
        where province_on is not null and national_on >= province_on
    ) as province_national,
    count(*) filter (
        where province_on is not null and coalesce(city_on > province_on, true)
    ) as province_no_city,
    count(national_on) as national,
    count(*) filter (
        where national_on is not null and coalesce(city_on > national_on, true)
    ) as national_no_city,
    count(*) filter (
        where national_on is not null and coalesce(province_on > national_on, true)
    ) as national_no_province
from firsts;

-- scope_county: a county editor reads only the register's rows of their division: these temp
-- views shadow the tables of the same name (temp comes first), so every query on the cursor,
-- macros included, reads them. Stored old codes count under today's unit (divisions.current_code).
create temp view centers as
select *
from tracker.main.centers
where division_code in (
    select d.code
    from tracker.main.divisions as d
    where d.current_code in (select code from scope_divisions)
);

create temp view events as
select * from tracker.main.events where center_id in (select id from centers);

create temp view members as
select * from tracker.main.members where center_id in (select id from centers);

create temp view annual_data as
select * from tracker.main.annual_data where center_id in (select id from centers);

create temp view funding_manual as
select * from tracker.main.funding_manual where center_id in (select id from centers);

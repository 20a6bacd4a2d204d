-- fields_all: the annex's 31 key fields with their sectors.
select seq, sector, name from fields order by seq;

-- Count again the conversation starts of the hours an import touched (temp table touched_hours): an hour left empty
-- loses its row.
-- Params: none (reads touched_hours and view touched_hour_conversations). Grain: none (DML).
delete from conversation_starts_hourly
where hour_at in (select h.hour from touched_hours as h);

insert into conversation_starts_hourly
select *
from conversation_start_counts('touched_hour_conversations')
order by hour_at;

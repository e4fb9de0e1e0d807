-- The conversation_starts_hourly table: conversation starts per UTC hour (a few thousand rows a year), rebuilt whole
-- with conversation_facts; an import into a larger database recounts only the hours it touched
-- (queries/ingest/conversation_starts_hourly_recount.sql). coverage_days is derived from it.
-- Params: none. Grain: UTC hour with at least one start.
create or replace table conversation_starts_hourly as
select *
from conversation_start_counts('conversations')
order by hour_at

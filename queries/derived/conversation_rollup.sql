-- The conversation_rollup table: conversation_facts pre-aggregated per UTC quarter-hour x channel x account x priority
-- x incident (the conversation_rollup_rows macro), so aggregate page queries add up thousands of rows instead of
-- scanning every conversation. Rebuilt whole, or for the touched hours only, by dashboard/db/rollups.py after
-- conversation_facts. Rows are in quarter-hour order, so a date range reads only the row groups it needs.
-- Params: none. Grain: UTC quarter-hour x channel x account x priority x incident.
create or replace table conversation_rollup as
select *
from conversation_rollup_rows(
    (select min(started_at) from conversation_facts),
    (select max(started_at) + interval 1 second from conversation_facts)
)
order by quarter_at, channel, account, priority, incident_id

-- The conversation_facts table: every conversation's row of conversation_fact_rows (queries/macros), rebuilt whole by
-- dashboard/db/schema.py refresh_derived after a schema change, a rescore or a large import; an import into a larger
-- database replaces only the rows it touched (queries/ingest/conversation_facts_replace_touched.sql). Page queries read
-- stored columns instead of re-deriving them (about 4x faster at 1M conversations). Rows are in start order, so a date
-- range reads only the row groups it needs.
-- Params: none. Grain: one row per conversation.
create or replace table conversation_facts as
select *
from conversation_fact_rows('conversations')
order by started_at, conversation_id

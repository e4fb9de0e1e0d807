-- Temp table conversation_attrs: every stored conversation with its stored attributes, to derive them all again.
-- Params: none. Grain: one row per conversation.
create or replace temp table conversation_attrs as
select conversation_id, channel, account, customer_id, priority, tags, closed_at, started_outside_file
from conversations

-- How many conversations the database holds.
-- Params: none. Grain: one row.
select count(*) as conversation_count
from conversations

-- Conversations in the database that started outside their file (twcs), of all conversations, for the Data page.
-- Params: none. Grain: one row.
select
    count(*) filter (where started_outside_file) as started_outside_count,
    count(*) as conversation_count
from conversations

-- The newest data: when the last conversation started and the last message was sent, for the alert window.
-- Params: none. Grain: one row.
select
    max(started_at) as last_started_at,
    max(last_message_at) as data_end_at
from conversations

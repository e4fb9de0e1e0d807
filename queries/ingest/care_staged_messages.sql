-- The care export's typed rows in the staged message columns the loader takes, in file order.
-- Params: none. Grain: one row per message.
select row_number, conversation_id, message_id, sent_at, author_type, author_id, text, channel, account,
    customer_id, priority, tags, follower_count, is_media, closed_at
from typed
order by row_number

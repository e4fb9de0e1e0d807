-- Every stored message's text and current label, to score again.
-- Params: none. Grain: one row per message.
select message_id, text, author_type, sentiment_label
from messages

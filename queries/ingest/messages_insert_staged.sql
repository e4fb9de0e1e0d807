-- Insert the staged messages whose message_id is not stored yet; returns the count inserted.
-- Params: none (reads the registered frame staged and temp table stored_staged). Grain: none (DML).
insert into messages
select
    s.message_id,
    s.conversation_id,
    s.sent_at,
    s.author_type,
    s.author_id,
    s.text,
    s.sentiment_score,
    s.sentiment_label
from staged as s
anti join stored_staged as m on s.message_id = m.message_id

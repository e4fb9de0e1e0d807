-- Update stored messages whose staged row (same message_id) differs in conversation, time, author or text.
-- Params: none (reads the registered frame staged and temp table stored_staged). Grain: none (DML); returns the count
-- updated. With no changed row, messages is not scanned.
update messages as m
set
    conversation_id = s.conversation_id,
    sent_at = s.sent_at,
    author_type = s.author_type,
    author_id = s.author_id,
    text = s.text,
    sentiment_score = s.sentiment_score,
    sentiment_label = s.sentiment_label
from (
    select s.*
    from staged as s
    inner join stored_staged as o on s.message_id = o.message_id
    where o.conversation_id is distinct from s.conversation_id
        or o.sent_at is distinct from s.sent_at
        or o.author_type is distinct from s.author_type
        or o.author_id is distinct from s.author_id
        or o.text is distinct from s.text
) as s
where m.message_id = s.message_id

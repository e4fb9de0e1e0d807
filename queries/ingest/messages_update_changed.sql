-- Update stored messages whose staged row (same message_id) differs in conversation, time, author or text.
-- Params: none (reads the registered frame staged). Grain: none (DML); returns the count updated.
update messages as m
set
    conversation_id = s.conversation_id,
    sent_at = s.sent_at,
    author_type = s.author_type,
    author_id = s.author_id,
    text = s.text,
    sentiment_score = s.sentiment_score,
    sentiment_label = s.sentiment_label
from staged as s
where m.message_id = s.message_id
    and m.message_id between (select min(message_id) from staged) and (select max(message_id) from staged)
    and (
        m.conversation_id is distinct from s.conversation_id
        or m.sent_at is distinct from s.sent_at
        or m.author_type is distinct from s.author_type
        or m.author_id is distinct from s.author_id
        or m.text is distinct from s.text
    )

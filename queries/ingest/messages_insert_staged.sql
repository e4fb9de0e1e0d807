-- Insert the staged messages whose message_id is not stored yet; returns the count inserted.
-- Params: none (reads the registered frame staged). Grain: none (DML).
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
anti join (
    -- Only stored messages in the staged id range can match: the scan skips the row groups outside it.
    select message_id
    from messages
    where message_id between (select min(message_id) from staged) and (select max(message_id) from staged)
) as m on s.message_id = m.message_id

-- Add conversations that messages left (moved_from) to conversation_attrs with stored attributes, to derive again.
-- Params: none (reads temp tables moved_from, conversation_attrs). Grain: none (DML).
insert into conversation_attrs
select c.conversation_id, c.channel, c.account, c.customer_id, c.priority, c.tags, c.closed_at, c.started_outside_file
from conversations as c
where c.conversation_id in (select conversation_id from moved_from)
    and c.conversation_id not in (select conversation_id from conversation_attrs)

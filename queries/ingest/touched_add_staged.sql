-- Record the conversations about to be derived again (temp table conversation_attrs) as touched, with the UTC hours
-- they start in now (a conversation may move to an earlier hour). Run before they are replaced.
-- Params: none. Grain: none (DML).
insert or ignore into touched_hours
select distinct date_trunc('hour', c.started_at)
from conversations as c
where c.conversation_id in (select a.conversation_id from conversation_attrs as a);

insert or ignore into touched_conversations
select distinct a.conversation_id
from conversation_attrs as a;

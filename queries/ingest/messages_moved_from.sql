-- Temp table moved_from: conversations that stored messages leave because the staged rows give them another one.
-- Params: none (reads the registered frame staged and temp table stored_staged). Grain: one row per conversation left.
create or replace temp table moved_from as
select distinct m.conversation_id
from stored_staged as m
inner join staged as s on m.message_id = s.message_id
where m.conversation_id <> s.conversation_id

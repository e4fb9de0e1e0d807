-- Temp table moved_from: conversations that stored messages leave because the staged rows give them another one.
-- Params: none (reads the registered frame staged). Grain: one row per conversation left.
create or replace temp table moved_from as
select distinct m.conversation_id
from messages as m
inner join staged as s on m.message_id = s.message_id
where m.conversation_id <> s.conversation_id
    -- The staged id range, as constants the scan skips stored row groups by (a chunked load reads only its own).
    and m.message_id between (select min(message_id) from staged) and (select max(message_id) from staged)

-- Views of what an import touched, for the incremental refresh (dashboard/db/schema.py refresh_derived): the touched
-- conversations' rows, and the conversations starting in a touched hour (the range lets row groups be skipped).
-- Params: none (reads temp tables touched_conversations and touched_hours). Grain: conversation.
create or replace temp view touched_conversation_rows as
select *
from conversations
where conversation_id in (select t.conversation_id from touched_conversations as t);

create or replace temp view touched_hour_conversations as
select *
from conversations
where started_at >= (select min(h.hour) from touched_hours as h)
    and started_at < (select max(h.hour) from touched_hours as h) + interval 1 hour
    and date_trunc('hour', started_at) in (select h.hour from touched_hours as h);

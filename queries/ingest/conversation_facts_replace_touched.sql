-- Replace the conversation_facts rows of the conversations an import touched (delete, then insert what
-- conversation_fact_rows derives for those still stored).
-- Params: none (reads temp table touched_conversations and view touched_conversation_rows). Grain: none (DML).
delete from conversation_facts
where conversation_id in (select t.conversation_id from touched_conversations as t);

insert into conversation_facts
select *
from conversation_fact_rows('touched_conversation_rows')
order by started_at, conversation_id;

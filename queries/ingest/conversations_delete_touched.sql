-- Delete every conversation about to be derived again (delete + insert: twice as fast as `insert or replace`).
-- Params: none (reads temp table conversation_attrs). Grain: none (DML).
delete from conversations
where conversation_id in (select conversation_id from conversation_attrs)
    and conversation_id between (select min(conversation_id) from conversation_attrs)
    and (select max(conversation_id) from conversation_attrs)

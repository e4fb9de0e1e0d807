-- Delete the conversations about to be replaced by their fresh derivation (delete + insert is twice as fast as
-- `insert or replace` on a million rows).
-- Params: none (reads temp table derived_conversations). Grain: none (DML).
delete from conversations
where conversation_id in (select conversation_id from derived_conversations)

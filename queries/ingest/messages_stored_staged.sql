-- Temp table stored_staged: the stored messages whose message_id is staged again, found in one scan of messages, so the
-- re-import checks (moved, changed, new) read these few rows instead of the whole table.
-- Params: none (reads the registered frame staged). Grain: one row per stored message staged again.
create or replace temp table stored_staged as
select m.*
from messages as m
where m.message_id in (select s.message_id from staged as s)

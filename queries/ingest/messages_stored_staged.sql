-- Temp table stored_staged: the stored messages whose message_id is staged again, found in one scan of messages, so the
-- re-import checks (moved, changed, new) read these few rows instead of the whole table.
-- Params: none (reads the registered frame staged). Grain: one row per stored message staged again.
create or replace temp table stored_staged as
select m.*
from messages as m
where m.message_id in (select s.message_id from staged as s)
    -- The staged id range, as constants the scan skips stored row groups by (a chunked load reads only its own).
    and m.message_id between (select min(message_id) from staged) and (select max(message_id) from staged)

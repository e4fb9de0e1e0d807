-- Insert the freshly derived conversations, in start order; returns the count inserted.
-- Params: none (reads temp table derived_conversations). Grain: none (DML).
insert into conversations
select *
from derived_conversations
order by started_at

-- Conversation starts per UTC hour among the conversations in table or view `source` (`conversations`, or a view of
-- the conversations in the hours an import touched): the one definition of conversation_starts_hourly's rows.
create or replace macro conversation_start_counts(source) as table
select
    date_trunc('hour', started_at) as hour_at,
    count(*) as conversation_count
from query_table(source)
group by date_trunc('hour', started_at)

-- The conversations starting in [start_at, end_at) counted (conversation_rollup's columns): the conversation_rollup
-- rows of the whole quarter-hours inside the range, plus the conversations of a partial quarter-hour at either edge as
-- conversation_counts rows (one per conversation), so sums equal counts over the conversations for any bounds. A date
-- range picked in any time zone starts and ends on a quarter-hour: then the edges are empty. (No CTEs here: a query
-- may expand this macro more than once.)
create or replace macro range_rollup(start_at, end_at) as table
select *
from conversation_rollup
where quarter_at >= time_bucket(interval 15 minute, start_at::timestamp - interval 1 microsecond) + interval 15 minute
    and quarter_at < time_bucket(interval 15 minute, end_at::timestamp)
union all
select *
from conversation_counts(
    start_at::timestamp,
    least(
        end_at::timestamp,
        time_bucket(interval 15 minute, start_at::timestamp - interval 1 microsecond) + interval 15 minute
    )
)
union all
select *
from conversation_counts(
    greatest(
        start_at::timestamp,
        time_bucket(interval 15 minute, end_at::timestamp),
        time_bucket(interval 15 minute, start_at::timestamp - interval 1 microsecond) + interval 15 minute
    ),
    end_at::timestamp
)

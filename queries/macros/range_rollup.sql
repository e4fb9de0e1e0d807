-- The conversations starting in [start_at, end_at) counted (conversation_rollup's columns): the conversation_rollup
-- rows of the whole quarter-hours inside the range, plus the conversations of a partial quarter-hour at either edge
-- counted from conversation_facts, so sums equal counts over the conversations for any bounds. (A date range picked in
-- any time zone starts and ends on a quarter-hour: then the edges are empty.)
create or replace macro range_rollup(start_at, end_at) as table
with

edges as (
    -- the first and last whole quarter-hour boundaries inside the range
    select
        time_bucket(interval 15 minute, start_at::timestamp - interval 1 microsecond) + interval 15 minute
            as first_whole_at,
        greatest(
            time_bucket(interval 15 minute, end_at::timestamp),
            time_bucket(interval 15 minute, start_at::timestamp - interval 1 microsecond) + interval 15 minute
        ) as end_whole_at
),

counted as (
    select r.*
    from conversation_rollup as r, edges as e
    where r.quarter_at >= e.first_whole_at
        and r.quarter_at < e.end_whole_at
    union all
    select *
    from conversation_rollup_rows(
        start_at::timestamp,
        least(end_at::timestamp, (select first_whole_at from edges))
    )
    union all
    select *
    from conversation_rollup_rows(
        greatest(start_at::timestamp, (select end_whole_at from edges)),
        end_at::timestamp
    )
)

select * from counted

-- scoped_conversations with each start in the display time zone tz (local_started_at, naive local time), for
-- queries that bucket by hour or day or read the hour of the week. The data stays in UTC. Each start looks up its
-- quarter-hour's offset by position in one list (tz_offsets), which is cheaper than a join in large plans.
create or replace macro local_conversations(start_at, end_at, channels, accounts, priorities, tz) as table
select
    c.*,
    c.started_at + z.offsets[((epoch(c.started_at) - epoch(z.first_quarter_at)) // 900)::bigint + 1]
        as local_started_at
from scoped_conversations(start_at, end_at, channels, accounts, priorities) as c,
    (
        select
            list(utc_offset order by quarter_at) as offsets,
            min(quarter_at) as first_quarter_at
        from tz_offsets(tz, start_at, end_at)
    ) as z

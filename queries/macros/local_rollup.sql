-- scoped_rollup with each quarter-hour on the local clock of time zone tz (local_quarter_at, naive local time), for
-- queries that bucket by local hour or day: every zone's offset is a whole number of quarter-hours, so a UTC
-- quarter-hour lies inside one local hour.
create or replace macro local_rollup(start_at, end_at, channels, accounts, priorities, tz) as table
select
    r.*,
    r.quarter_at + z.offsets[((epoch(r.quarter_at) - epoch(z.first_quarter_at)) // 900)::bigint + 1]
        as local_quarter_at
from scoped_rollup(start_at, end_at, channels, accounts, priorities) as r,
    (
        select
            list(utc_offset order by quarter_at) as offsets,
            min(quarter_at) as first_quarter_at
        from tz_offsets(tz, start_at, end_at)
    ) as z

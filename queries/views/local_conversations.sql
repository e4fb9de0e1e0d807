-- scoped_conversations with each start in the display time zone tz (local_started_at, naive local time), for
-- queries that bucket by hour or day or read the hour of the week. The data stays in UTC.
create or replace macro local_conversations(start_at, end_at, channels, accounts, priorities, tz) as table
select
    c.*,
    c.started_at + z.utc_offset as local_started_at
from scoped_conversations(start_at, end_at, channels, accounts, priorities) as c
inner join tz_offsets(tz, start_at, end_at) as z
    on time_bucket(interval 15 minute, c.started_at) = z.quarter_at

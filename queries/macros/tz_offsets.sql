-- The display time zone's offset from UTC for each quarter-hour from start_at to end_at (naive UTC times). Every
-- zone's offset is a whole number of quarter-hours and changes on a quarter-hour, so joining a conversation on its
-- start's quarter-hour gives its exact local time; the zone lookup runs once per quarter-hour, not per conversation.
-- local_hour_at is the local clock hour the quarter falls in: the distinct values over a range are its local hours.
create or replace macro tz_offsets(tz, start_at, end_at) as table
select
    quarter_at,
    timezone(tz, quarter_at at time zone 'UTC') - quarter_at as utc_offset,
    date_trunc('hour', timezone(tz, quarter_at at time zone 'UTC')) as local_hour_at
from unnest(generate_series(
    time_bucket(interval 15 minute, start_at::timestamp), end_at::timestamp, interval 15 minute
)) as q (quarter_at)

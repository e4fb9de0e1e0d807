-- A naive UTC time as naive local time in time zone tz (for a few values such as bounds and incident windows; large
-- scans use tz_offsets / local_conversations, which look the zone up once per quarter-hour).
create or replace macro to_local(ts, tz) as timezone(tz, ts::timestamp at time zone 'UTC')

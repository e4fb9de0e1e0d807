-- The UTC hours from start_at to end_at on days coverage_days marks covered: the hours a baseline may learn from. An
-- hour before coverage starts, on a collection-gap day or on a stray day is missing (no data), never a zero.
create or replace macro covered_hours(start_at, end_at) as table
select h.hour_at
from coverage_days as d,
    unnest(generate_series(d.day::timestamp, d.day::timestamp + interval 23 hour, interval 1 hour)) as h(hour_at)
where d.status = 'covered'
    and d.day between start_at::date and end_at::date
    and h.hour_at >= date_trunc('hour', start_at::timestamp)
    and h.hour_at <= end_at::timestamp

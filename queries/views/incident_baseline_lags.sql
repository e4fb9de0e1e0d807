-- The expected-volume baseline of every incident's hours (README: Metric definitions), for the uplift queries
-- (incident_headlines_list, channel_uplift_incident): for each hour of the window, the same hour 1-4 weeks earlier
-- (lag_at) when that hour holds data and overlaps no incident. hour_fraction is the share of the hour inside the
-- window (pro rata at the edges); baseline_weeks counts the hour's usable lags. Expected volume of a window is
-- sum(hour_fraction x arrivals at lag_at / baseline_weeks), an hour's lags with no arrivals counting as zero.
create or replace macro incident_baseline_lags() as table
with

incident_hours as (
    select
        i.incident_id,
        h.hour_at,
        date_diff('second', greatest(h.hour_at, i.started_at), least(h.hour_at + interval 1 hour, i.ended_at))
            / 3600.0 as hour_fraction
    from incidents as i,
        unnest(generate_series(date_trunc('hour', i.started_at), i.ended_at, interval 1 hour)) as h(hour_at)
    where h.hour_at < i.ended_at
        or i.started_at = i.ended_at
),

usable as (
    select
        h.incident_id,
        h.hour_at,
        h.hour_fraction,
        h.hour_at - to_days(7 * w.week) as lag_at
    from incident_hours as h,
        unnest([1, 2, 3, 4]) as w(week)
    where h.hour_at - to_days(7 * w.week) >= (select date_trunc('hour', min(started_at)) from conversations)
        and not exists (
            select 1 from incidents as x
            where x.started_at < h.hour_at - to_days(7 * w.week) + interval 1 hour
                and x.ended_at >= h.hour_at - to_days(7 * w.week)
        )
)

select
    *,
    count(*) over (partition by incident_id, hour_at) as baseline_weeks
from usable

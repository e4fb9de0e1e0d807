-- The expected-volume baseline of every incident's hours (README: Metric definitions; the volume_baseline definition),
-- for the uplift queries (incident_headlines_list, channel_uplift_incident): for each hour of the window, the same hour
-- 1-4 weeks earlier (lag_at) when that hour is covered (covered_hours) and overlaps no incident. hour_fraction is the
-- share of the hour inside the window (pro rata at the edges); baseline_weeks counts the hour's usable lags. Expected
-- volume of a window is sum(hour_fraction x arrivals at lag_at / baseline_weeks), a covered lag with no arrivals
-- counting as zero; has_history is false for the whole incident when any of its hours has fewer than 2 usable weeks,
-- and then the window has not enough history (its expected volume is null).
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

covered as (
    select hour_at
    from covered_hours(
        (select min(started_at) - interval 28 day from incidents), (select max(ended_at) from incidents)
    )
),

usable as (
    select
        h.incident_id,
        h.hour_at,
        h.hour_fraction,
        h.hour_at - to_days(7 * w.week) as lag_at
    from incident_hours as h,
        unnest([1, 2, 3, 4]) as w(week)
    where h.hour_at - to_days(7 * w.week) in (select hour_at from covered)
        and not exists (
            select 1 from incidents as x
            where x.started_at < h.hour_at - to_days(7 * w.week) + interval 1 hour
                and x.ended_at >= h.hour_at - to_days(7 * w.week)
        )
),

weeks as (
    select
        h.incident_id,
        h.hour_at,
        count(u.lag_at) as baseline_weeks
    from incident_hours as h
    left join usable as u
        on h.incident_id = u.incident_id
        and h.hour_at = u.hour_at
    group by all
),

history as (
    select
        incident_id,
        min(baseline_weeks) >= 2 as has_history
    from weeks
    group by incident_id
)

select
    u.*,
    w.baseline_weeks,
    y.has_history
from usable as u
inner join weeks as w
    on u.incident_id = w.incident_id
    and u.hour_at = w.hour_at
inner join history as y on u.incident_id = y.incident_id

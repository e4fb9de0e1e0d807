-- Hourly arrivals with their expected (baseline) volume (README: Metric definitions): for each hour, the mean volume of
-- the same hour of the week over the previous four weeks, using only covered hours (covered_hours: collected, not a gap
-- or stray day) that overlap no incident. expected_sd is the spread of those weeks (for a band); baseline_weeks says
-- how many weeks were used; with fewer than 2 the hour has not enough history and expected_count is null. is_covered
-- says whether the hour itself was collected. The one baseline definition: tiles, report, alerts read it. Arrivals are
-- counted from conversation_rollup.
create or replace macro volume_baseline(start_at, end_at, channels, accounts, priorities) as table
with

bounds as (
    select
        date_trunc('hour', start_at::timestamp) as first_hour,
        date_trunc('hour', end_at::timestamp - interval 1 second) as last_hour,
        (select date_trunc('hour', min(started_at)) from conversations) as data_first_hour
),

hours as (
    select unnest(generate_series(
        greatest(b.first_hour - interval 28 day, b.data_first_hour), b.last_hour, interval 1 hour
    )) as hour_at
    from bounds as b
),

arrivals as (
    select date_trunc('hour', quarter_at) as hour_at, sum(conversation_count)::bigint as conversation_count
    from scoped_rollup(start_at::timestamp - interval 28 day, end_at, channels, accounts, priorities)
    group by 1
),

covered as (
    select hour_at
    from covered_hours(
        (select first_hour - interval 28 day from bounds), (select last_hour from bounds)
    )
),

flagged as (
    select
        h.hour_at,
        coalesce(a.conversation_count, 0) as conversation_count,
        c.hour_at is not null as is_covered,
        exists (
            select 1 from incidents as i
            where i.started_at < h.hour_at + interval 1 hour and i.ended_at >= h.hour_at
        ) as is_incident_hour
    from hours as h
    left join arrivals as a on h.hour_at = a.hour_at
    left join covered as c on h.hour_at = c.hour_at
),

baseline as (
    select
        h.hour_at,
        avg(p.conversation_count) as expected_count,
        coalesce(stddev_samp(p.conversation_count), 0) as expected_sd,
        count(p.hour_at) as baseline_weeks
    from flagged as h
    left join flagged as p
        on p.hour_at in (
            h.hour_at - interval 7 day, h.hour_at - interval 14 day,
            h.hour_at - interval 21 day, h.hour_at - interval 28 day
        )
        and not p.is_incident_hour
        and p.is_covered
    group by h.hour_at
)

select
    f.hour_at,
    f.conversation_count,
    case when b.baseline_weeks >= 2 then b.expected_count end as expected_count,
    case when b.baseline_weeks >= 2 then b.expected_sd end as expected_sd,
    b.baseline_weeks,
    f.is_incident_hour,
    f.is_covered
from flagged as f
inner join baseline as b on f.hour_at = b.hour_at
cross join bounds as bo
where f.hour_at >= bo.first_hour

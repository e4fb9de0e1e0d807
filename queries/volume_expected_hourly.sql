-- Arrivals per hour against the expected volume (README; same definition as the volume_baseline macro: covered
-- lags only, null with fewer than 2; joined on exact lags for speed), by local hour in time zone $tz: the same hour of
-- the week is the same local clock hour. Arrivals are counted from conversation_rollup.
-- In a zone with daylight saving the skipped hour is absent and the repeated hour holds both.
-- Params: $start_at, $end_at, $channels, $accounts, $priorities, $tz. Grain: local hour.
with

bounds as (
    select
        date_trunc('hour', to_local($start_at, $tz)) as first_hour,
        date_trunc('hour', to_local($end_at::timestamp - interval 1 second, $tz)) as last_hour,
        (select date_trunc('hour', to_local(min(started_at), $tz)) from conversations) as data_first_hour
),

covered as (
    select hour_at
    from covered_hours($start_at::timestamp - interval 29 day, $end_at::timestamp)
),

hours as (
    -- Every local clock hour that exists in the range and the four weeks before it; covered when all of it was.
    select
        z.local_hour_at as hour_at,
        bool_and(c.hour_at is not null) as is_covered
    from tz_offsets($tz, $start_at::timestamp - interval 29 day, $end_at::timestamp - interval 1 second) as z
    cross join bounds as b
    left join covered as c on date_trunc('hour', z.quarter_at) = c.hour_at
    where z.local_hour_at between greatest(b.first_hour - interval 28 day, b.data_first_hour) and b.last_hour
    group by z.local_hour_at
),

arrivals as (
    select
        date_trunc('hour', local_quarter_at) as hour_at,
        sum(conversation_count)::bigint as conversation_count
    from local_rollup(
        $start_at::timestamp - interval 29 day, $end_at, $channels, $accounts, $priorities, $tz
    )
    group by 1
),

incident_hours as (
    select distinct unnest(generate_series(
        date_trunc('hour', to_local(started_at, $tz)), date_trunc('hour', to_local(ended_at, $tz)), interval 1 hour
    )) as hour_at
    from incidents
),

flagged as (
    select
        h.hour_at,
        coalesce(a.conversation_count, 0) as conversation_count,
        i.hour_at is not null as is_incident_hour,
        h.is_covered
    from hours as h
    left join arrivals as a on h.hour_at = a.hour_at
    left join incident_hours as i on h.hour_at = i.hour_at
),

lagged as (
    select
        h.hour_at,
        p.conversation_count
    from flagged as h
    cross join (values (7), (14), (21), (28)) as l (lag_days)
    inner join flagged as p on p.hour_at = h.hour_at - to_days(l.lag_days)
    where not p.is_incident_hour
        and p.is_covered
),

baseline as (
    select
        hour_at,
        avg(conversation_count) as expected_count,
        coalesce(stddev_samp(conversation_count), 0) as expected_sd,
        count(*) as baseline_weeks
    from lagged
    group by hour_at
),

final as (
    select
        f.hour_at,
        f.conversation_count,
        case when b.baseline_weeks >= 2 then b.expected_count end as expected_count,
        case when b.baseline_weeks >= 2 then b.expected_sd end as expected_sd,
        coalesce(b.baseline_weeks, 0) as baseline_weeks,
        f.is_incident_hour,
        f.is_covered
    from flagged as f
    left join baseline as b on f.hour_at = b.hour_at
    where f.hour_at >= (select first_hour from bounds)
)

select * from final
order by hour_at

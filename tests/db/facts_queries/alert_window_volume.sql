-- Arrivals in the alert window against the expected volume (README, Metric definitions; volume_baseline over every
-- channel), hours cut by the window's edges counted pro rata. Params: $start_at, $end_at. Grain: one row.
with

everything as (
    select
        list(distinct channel) as channels,
        list(distinct coalesce(account, '(none)')) as accounts,
        list(distinct priority) as priorities
    from conversations
),

expected as (
    select
        -- null when any hour has not enough history (fewer than 2 covered weeks)
        case when count(b.expected_count) = count(*) then sum(
            b.expected_count
            * date_diff('second', greatest(b.hour_at, $start_at), least(b.hour_at + interval 1 hour, $end_at))
            / 3600.0
        ) end as expected_count,
        min(b.baseline_weeks) as min_baseline_weeks
    from facts_volume_baseline(
        $start_at, $end_at,
        (select channels from everything), (select accounts from everything), (select priorities from everything)
    ) as b
    where b.hour_at < $end_at
        and b.hour_at + interval 1 hour > $start_at
),

actual as (
    select count(*) as actual_count
    from conversations
    where started_at >= $start_at
        and started_at < $end_at
)

select
    a.actual_count,
    e.expected_count,
    a.actual_count / nullif(e.expected_count, 0) - 1 as volume_uplift,
    e.min_baseline_weeks
from actual as a, expected as e

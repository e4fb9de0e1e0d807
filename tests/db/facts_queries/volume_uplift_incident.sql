-- Actual versus expected arrivals over one incident's window (README: uplift = actual / expected - 1).
-- Hours cut by the window's edges count their expected volume pro rata. Params: $channels, $accounts,
-- $priorities, $incident_id. Grain: one row.
with

incident as (
    select started_at, ended_at
    from incidents
    where incident_id = $incident_id
),

expected as (
    select
        -- null when any hour has not enough history (fewer than 2 covered weeks)
        case when count(b.expected_count) = count(*) then sum(
            b.expected_count
            * date_diff('second',
                greatest(b.hour_at, i.started_at),
                least(b.hour_at + interval 1 hour, i.ended_at)) / 3600.0
        ) end as expected_count,
        min(b.baseline_weeks) as min_baseline_weeks
    from incident as i,
        facts_volume_baseline(
            (select started_at from incident), (select ended_at from incident) + interval 1 second,
            $channels, $accounts, $priorities
        ) as b
    where b.hour_at < i.ended_at
        and b.hour_at + interval 1 hour > i.started_at
),

actual as (
    select count(*) as actual_count
    from conversation_facts as c, incident as i
    where c.started_at between i.started_at and i.ended_at
        and list_contains($channels, c.channel)
        and list_contains($accounts, coalesce(c.account, '(none)'))
        and list_contains($priorities, c.priority)
)

select
    a.actual_count,
    e.expected_count,
    a.actual_count / nullif(e.expected_count, 0) - 1 as volume_uplift,
    e.min_baseline_weeks
from actual as a, expected as e

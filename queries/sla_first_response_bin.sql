-- First-response distribution for the chosen incident and for normal time: log-spaced bins (20 per decade, one edge at
-- the target) with the cumulative share of due conversations answered within each bin's upper edge (an ECDF), and each
-- period's attainment, median and p90 first response (answered ones). Params: $start_at, $end_at, $channels,
-- $accounts, $priorities, $incident_id. Grain: period x bin.
with

target as (
    -- The most common first-response target among the chosen channels' and priorities' policies.
    select coalesce(mode(first_response_target_minutes), 120) as target_minutes
    from sla_policies
    where list_contains($channels, channel)
        and list_contains($priorities, priority)
),

due as materialized (
    -- One pass over the conversations; both aggregates below read this.
    select
        c.period as period_name,
        c.first_response_minutes,
        c.is_sla_met
    from period_conversations($start_at, $end_at, $channels, $accounts, $priorities, $incident_id) as c
    where c.is_sla_due
),

periods as (
    select
        period_name as period,
        count(*) filter (where is_sla_met) / count(*) as sla_attainment,
        median(first_response_minutes) as median_first_response_minutes,
        quantile_cont(first_response_minutes, 0.9) as p90_first_response_minutes
    from due
    group by period_name
),

binned as (
    -- A wait exactly at an edge falls in the bin that edge closes, so the target edge reads "answered within target".
    -- Unanswered due conversations get no bin (null): they count in the denominator only.
    select
        d.period_name as period,
        ceil(log10(d.first_response_minutes / t.target_minutes) * 20)::integer as bin,
        count(*) as answered_count
    from due as d
    cross join target as t
    group by all
),

counted as (
    select
        period,
        bin,
        answered_count,
        sum(answered_count) over (partition by period)::bigint as sla_due_count,
        coalesce(sum(answered_count) filter (where bin is null) over (partition by period), 0)::bigint
            as unanswered_count,
        sum(answered_count) over (partition by period order by bin asc nulls last rows unbounded preceding)
            as cumulative_count
    from binned
),

final as (
    select
        c.period,
        c.bin,
        t.target_minutes * pow(10, (c.bin - 1) / 20.0) as bin_start_minutes,
        t.target_minutes * pow(10, c.bin / 20.0) as bin_end_minutes,
        c.answered_count,
        c.cumulative_count / c.sla_due_count as answered_share,
        c.sla_due_count,
        c.unanswered_count,
        t.target_minutes,
        p.sla_attainment,
        p.median_first_response_minutes,
        p.p90_first_response_minutes
    from counted as c
    inner join periods as p on c.period = p.period
    cross join target as t
    where c.bin is not null
)

select * from final
order by period, bin

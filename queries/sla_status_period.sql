-- Every conversation by SLA status (met, breached_answered, breached_unanswered, pending) for the chosen incident and
-- normal time. Params: $start_at, $end_at, $channels, $accounts, $priorities, $incident_id. Grain: period x status.
with

periods as (
    -- Counted per status from conversation_rollup, then the grid is completed below.
    select
        period,
        sum(sla_met_count) as met,
        sum(breached_answered_count) as breached_answered,
        sum(breached_unanswered_count) as breached_unanswered,
        sum(pending_count) as pending
    from period_rollup($start_at, $end_at, $channels, $accounts, $priorities, $incident_id)
    group by period
),

statuses as (
    select *
    from (
        values ('met', 1), ('breached_answered', 2), ('breached_unanswered', 3), ('pending', 4)
    ) as s (sla_status, status_order)
),

counted as (
    -- Every status of every period present, zero where none.
    select
        p.period,
        s.sla_status,
        s.status_order,
        case s.sla_status
            when 'met' then p.met
            when 'breached_answered' then p.breached_answered
            when 'breached_unanswered' then p.breached_unanswered
            else p.pending
        end::bigint as conversation_count
    from periods as p
    cross join statuses as s
),

final as (
    select
        period,
        sla_status,
        status_order,
        conversation_count,
        sum(conversation_count) over (partition by period)::bigint as period_count,
        conversation_count / sum(conversation_count) over (partition by period) as share_of_period,
        case when sla_status <> 'pending' then
            conversation_count
            / nullif(sum(conversation_count) filter (where sla_status <> 'pending') over (partition by period), 0)
        end as share_of_due
    from counted
)

select * exclude (status_order) from final
order by period, status_order

-- Every conversation by SLA status (met, breached_answered, breached_unanswered, pending) for the chosen incident and
-- normal time. Params: $start_at, $end_at, $channels, $accounts, $priorities, $incident_id. Grain: period x status.
with

periods as (
    -- Count first (one pass over the conversations), then complete the grid below.
    select
        period,
        sla_status,
        count(*) as conversation_count
    from period_conversations($start_at, $end_at, $channels, $accounts, $priorities, $incident_id)
    group by all
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
        coalesce(c.conversation_count, 0) as conversation_count
    from (select distinct period from periods) as p
    cross join statuses as s
    left join periods as c on p.period = c.period and s.sla_status = c.sla_status
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

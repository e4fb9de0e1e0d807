-- SLA breaches, newest first: conversations answered after their target or still unanswered past it (pending ones,
-- still inside their target, are not breaches). $incident_id = '' lists every breach, else only that incident's.
-- Params: $start_at, $end_at, $channels, $accounts, $priorities, $incident_id, $limit. Grain: conversation.
with

breaches as (
    select
        conversation_id,
        started_at,
        sla_status,
        first_response_target_minutes,
        first_response_minutes,
        coalesce(first_response_minutes, date_diff('second', started_at, data_end_at()) / 60.0)
            - first_response_target_minutes as minutes_over_target,
        incident_id
    from scoped_conversations($start_at, $end_at, $channels, $accounts, $priorities)
    where sla_status in ('breached_answered', 'breached_unanswered')
        and ($incident_id = '' or incident_id = $incident_id)
),

counted as (
    select count(*) as breach_count
    from breaches
),

newest as materialized (
    select *
    from breaches
    order by started_at desc, conversation_id
    limit $limit
),

final as (
    -- Descriptive columns are read for the listed rows only (conversations are stored in start order).
    select
        n.conversation_id,
        n.started_at,
        c.channel,
        c.account,
        c.priority,
        n.sla_status,
        n.first_response_target_minutes,
        n.first_response_minutes,
        n.minutes_over_target,
        c.customer_id,
        c.agent_id,
        n.incident_id,
        k.breach_count
    from newest as n
    inner join conversations as c
        on n.conversation_id = c.conversation_id
        and c.started_at >= (select min(started_at) from newest)
    cross join counted as k
)

select * from final
order by started_at desc, conversation_id

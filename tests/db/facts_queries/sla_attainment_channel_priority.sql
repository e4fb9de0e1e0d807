-- SLA attainment for each channel and priority, with the counts behind it and the policy's target.
-- Params: $start_at, $end_at, $channels, $accounts, $priorities. Grain: channel x priority.
with

cells as (
    select
        channel,
        priority,
        min(first_response_target_minutes) as first_response_target_minutes,
        count(*) as conversation_count,
        count(*) filter (where is_sla_due) as sla_due_count,
        count(*) filter (where is_sla_met) as sla_met_count,
        count(*) filter (where sla_status = 'breached_answered') as breached_answered_count,
        count(*) filter (where sla_status = 'breached_unanswered') as breached_unanswered_count,
        count(*) filter (where sla_status = 'pending') as pending_count
    from scoped_conversations($start_at, $end_at, $channels, $accounts, $priorities)
    group by channel, priority
),

final as (
    select
        *,
        sla_met_count / nullif(sla_due_count, 0) as sla_attainment
    from cells
)

select * from final
order by channel, priority

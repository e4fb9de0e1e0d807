-- SLA attainment for each channel and priority, with the counts behind it and the policy's target. Reads
-- conversation_rollup. Params: $start_at, $end_at, $channels, $accounts, $priorities. Grain: channel x priority.
with

cells as (
    select
        channel,
        priority,
        min(min_first_response_target_minutes) as first_response_target_minutes,
        sum(conversation_count)::bigint as conversation_count,
        sum(sla_due_count)::bigint as sla_due_count,
        sum(sla_met_count)::bigint as sla_met_count,
        sum(breached_answered_count)::bigint as breached_answered_count,
        sum(breached_unanswered_count)::bigint as breached_unanswered_count,
        sum(pending_count)::bigint as pending_count
    from scoped_rollup($start_at, $end_at, $channels, $accounts, $priorities)
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

-- Recovery rate per channel and period: of negative starts with an end sentiment, the share ending positive.
-- Reads conversation_rollup. Params: $start_at, $end_at, $channels, $accounts, $priorities, $incident_id.
-- Grain: channel x period.
with

counted as (
    select
        channel,
        period,
        sum(conversation_count)::bigint as conversation_count,
        sum(negative_start_count)::bigint as negative_start_count,
        sum(recovery_base_count)::bigint as recovery_base_count,
        sum(recovered_count)::bigint as recovered_count
    from period_rollup($start_at, $end_at, $channels, $accounts, $priorities, $incident_id)
    group by all
),

final as (
    select
        *,
        recovered_count / nullif(recovery_base_count, 0) as recovery_rate
    from counted
)

select * from final
order by channel, period

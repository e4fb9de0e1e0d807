-- Recovery rate per channel and period: of negative starts with an end sentiment, the share ending positive.
-- Params: $start_at, $end_at, $channels, $accounts, $priorities, $incident_id. Grain: channel x period.
with

periods as (
    select
        channel,
        period,
        is_negative_start,
        has_end_sentiment,
        is_recovered
    from period_conversations($start_at, $end_at, $channels, $accounts, $priorities, $incident_id)
),

final as (
    select
        channel,
        period,
        count(*) as conversation_count,
        count(*) filter (where is_negative_start) as negative_start_count,
        count(*) filter (where is_negative_start and has_end_sentiment) as recovery_base_count,
        count(*) filter (where is_recovered) as recovered_count,
        count(*) filter (where is_recovered)
            / nullif(count(*) filter (where is_negative_start and has_end_sentiment), 0) as recovery_rate
    from periods
    group by all
)

select * from final
order by channel, period

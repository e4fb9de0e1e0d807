-- Headline KPIs for the chosen incident and for normal time (every conversation outside any incident), with the
-- counts behind each share. Counts read conversation_rollup; median and p90 first response come from
-- period_response_quantiles (normal time's from first-response bins, approximate).
-- Params: $start_at, $end_at, $channels, $accounts, $priorities, $incident_id. Grain: one row per period.
with

counted as (
    select
        period,
        sum(conversation_count)::bigint as conversation_count,
        sum(negative_start_count)::bigint as negative_start_count,
        sum(start_sentiment_count) as start_sentiment_count,
        sum(recovery_base_count)::bigint as recovery_base_count,
        sum(recovered_count) as recovered_count,
        sum(neutral_base_count)::bigint as neutral_base_count,
        sum(neutral_to_positive_count) as neutral_to_positive_count,
        sum(sla_due_count)::bigint as sla_due_count,
        sum(sla_met_count)::bigint as sla_met_count,
        (sum(conversation_count) - sum(answered_count))::bigint as unanswered_count,
        sum(influencer_count)::bigint as influencer_conversation_count
    from period_rollup($start_at, $end_at, $channels, $accounts, $priorities, $incident_id)
    group by period
),

responses as (
    select *
    from period_response_quantiles($start_at, $end_at, $channels, $accounts, $priorities, $incident_id)
    where channel is null
),

final as (
    select
        c.period,
        c.conversation_count,
        c.negative_start_count,
        c.negative_start_count / nullif(c.start_sentiment_count, 0) as negative_start_share,
        c.recovery_base_count,
        c.recovered_count / nullif(c.recovery_base_count, 0) as recovery_rate,
        c.neutral_base_count,
        c.neutral_to_positive_count / nullif(c.neutral_base_count, 0) as neutral_to_positive_rate,
        c.sla_due_count,
        c.sla_met_count,
        c.sla_met_count / nullif(c.sla_due_count, 0) as sla_attainment,
        c.unanswered_count,
        r.median_first_response_minutes,
        r.p90_first_response_minutes,
        c.influencer_conversation_count
    from counted as c
    left join responses as r on c.period = r.period
)

select * from final
order by period

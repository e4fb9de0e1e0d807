-- Headline KPIs for the chosen incident and for normal time (every conversation outside any incident), with the
-- counts behind each share. Params: $start_at, $end_at, $channels, $accounts, $priorities, $incident_id.
-- Grain: one row per period ('incident', 'normal').
with

periods as (
    select *
    from period_conversations($start_at, $end_at, $channels, $accounts, $priorities, $incident_id)
),

final as (
    select
        period,
        count(*) as conversation_count,
        count(*) filter (where is_negative_start) as negative_start_count,
        count(*) filter (where is_negative_start) / nullif(count(*) filter (where has_start_sentiment), 0)
            as negative_start_share,
        count(*) filter (where is_negative_start and has_end_sentiment) as recovery_base_count,
        count(*) filter (where is_recovered)
            / nullif(count(*) filter (where is_negative_start and has_end_sentiment), 0) as recovery_rate,
        count(*) filter (where start_sentiment_label = 'neutral' and has_end_sentiment) as neutral_base_count,
        count(*) filter (where is_neutral_to_positive)
            / nullif(count(*) filter (where start_sentiment_label = 'neutral' and has_end_sentiment), 0)
            as neutral_to_positive_rate,
        count(*) filter (where is_sla_due) as sla_due_count,
        count(*) filter (where is_sla_met) as sla_met_count,
        count(*) filter (where is_sla_met) / nullif(count(*) filter (where is_sla_due), 0) as sla_attainment,
        count(*) filter (where not is_answered) as unanswered_count,
        median(first_response_minutes) as median_first_response_minutes,
        quantile_cont(first_response_minutes, 0.9) as p90_first_response_minutes,
        count(*) filter (where is_influencer) as influencer_conversation_count
    from periods
    group by period
)

select * from final
order by period

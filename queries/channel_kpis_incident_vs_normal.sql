-- Channel scorecard: each channel's KPIs in the chosen incident and in normal time (every conversation outside any
-- incident), with the counts behind each share. Churn after contact (README, Metric definitions): the customer's
-- churned_at falls within 90 days after the conversation started; its base is conversations with a customer. Counts
-- read conversation_rollup; the median first response comes from period_response_quantiles (normal time's from
-- first-response bins, approximate).
-- Params: $start_at, $end_at, $channels, $accounts, $priorities, $incident_id. Grain: channel x period.
with

counted as (
    select
        period,
        channel,
        sum(conversation_count)::bigint as conversation_count,
        sum(negative_start_count)::bigint as negative_start_count,
        sum(recovery_base_count)::bigint as recovery_base_count,
        sum(recovered_count)::bigint as recovered_count,
        sum(sla_due_count)::bigint as sla_due_count,
        sum(sla_met_count)::bigint as sla_met_count,
        sum(churn_base_count)::bigint as churn_base_count,
        sum(churned_after_count)::bigint as churned_after_count
    from period_rollup($start_at, $end_at, $channels, $accounts, $priorities, $incident_id)
    group by period, channel
),

measured as (
    select
        c.*,
        r.median_first_response_minutes
    from counted as c
    left join period_response_quantiles($start_at, $end_at, $channels, $accounts, $priorities, $incident_id) as r
        on c.period = r.period
        and c.channel = r.channel
),

final as (
    select
        channel,
        period,
        conversation_count,
        conversation_count / sum(conversation_count) over (partition by period) as volume_share,
        negative_start_count,
        negative_start_count / conversation_count as negative_start_share,
        recovery_base_count,
        recovered_count / nullif(recovery_base_count, 0) as recovery_rate,
        sla_due_count,
        sla_met_count / nullif(sla_due_count, 0) as sla_attainment,
        median_first_response_minutes,
        churn_base_count,
        churned_after_count,
        churned_after_count / nullif(churn_base_count, 0) as churn_after_contact_rate
    from measured
)

select * from final
order by channel, period

-- Channel scorecard: each channel's KPIs in the chosen incident and in normal time (every conversation outside any
-- incident), with the counts behind each share. Churn after contact (README, Metric definitions): the customer's
-- churned_at falls within 90 days after the conversation started; its base is conversations with a customer.
-- Params: $start_at, $end_at, $channels, $accounts, $priorities, $incident_id. Grain: channel x period.
with

churned as (
    -- Only customers who left can churn after a contact: a small join side. (Every customer id on a conversation
    -- has a customers row: the loader writes one; the Data page checks it.)
    select customer_id, churned_at
    from customers
    where churned_at is not null
),

periods as (
    select
        c.period as period_name,
        c.channel,
        c.is_negative_start,
        c.has_end_sentiment,
        c.is_recovered,
        c.is_sla_due,
        c.is_sla_met,
        c.first_response_minutes,
        c.customer_id is not null as is_churn_base,
        coalesce(k.churned_at > c.started_at and k.churned_at <= c.started_at + interval 90 day, false)
            as is_churned_after
    from period_conversations($start_at, $end_at, $channels, $accounts, $priorities, $incident_id) as c
    left join churned as k on c.customer_id = k.customer_id
),

measured as (
    select
        period_name as period,
        channel,
        count(*) as conversation_count,
        count(*) filter (where is_negative_start) as negative_start_count,
        count(*) filter (where is_negative_start and has_end_sentiment) as recovery_base_count,
        count(*) filter (where is_recovered) as recovered_count,
        count(*) filter (where is_sla_due) as sla_due_count,
        count(*) filter (where is_sla_met) as sla_met_count,
        median(first_response_minutes) as median_first_response_minutes,
        count(*) filter (where is_churn_base) as churn_base_count,
        count(*) filter (where is_churn_base and is_churned_after) as churned_after_count
    from periods
    group by period_name, channel
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

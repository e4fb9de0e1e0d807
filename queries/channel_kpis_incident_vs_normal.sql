-- Channel scorecard: each channel's KPIs in the chosen incident and in normal time (every conversation outside any
-- incident), with the counts behind each share. Churn after contact (README, Metric definitions): the customer's
-- churned_at falls within 90 days after the conversation started; its base is conversations with a customer. Counts
-- read conversation_rollup (churn after contact, which depends on each customer, reads the conversations); the median
-- first response comes from period_response_quantiles (normal time's from first-response bins, approximate).
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
        sum(sla_met_count)::bigint as sla_met_count
    from period_rollup($start_at, $end_at, $channels, $accounts, $priorities, $incident_id)
    group by period, channel
),

churned as (
    -- Only customers who left can churn after a contact: a small join side. (Every customer id on a conversation
    -- has a customers row: the loader writes one; the Data page checks it.)
    select customer_id, churned_at
    from customers
    where churned_at is not null
),

churn as (
    select
        c.period,
        c.channel,
        count(*) filter (where c.customer_id is not null) as churn_base_count,
        count(*) filter (
            where k.churned_at > c.started_at and k.churned_at <= c.started_at + interval 90 day
        ) as churned_after_count
    from period_conversations($start_at, $end_at, $channels, $accounts, $priorities, $incident_id) as c
    left join churned as k on c.customer_id = k.customer_id
    group by c.period, c.channel
),

measured as (
    select
        c.*,
        h.churn_base_count,
        h.churned_after_count,
        r.median_first_response_minutes
    from counted as c
    inner join churn as h
        on c.period = h.period
        and c.channel = h.channel
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

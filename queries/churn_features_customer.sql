-- Churn-model features per customer, built only from what was known before $scored_at (no look-ahead).
-- Params: $scored_at (timestamp), $influencer_followers. Grain: customer with a conversation in the 90 days before it,
-- not yet churned.
with

history as (
    select
        customer_id,
        conversation_id,
        channel,
        started_at,
        incident_id,
        is_influencer,
        start_sentiment_label,
        -- An answer, a deadline or an ending counts only once it had happened by the scoring time.
        coalesce(first_response_at < $scored_at, false) as is_answered_by_then,
        sla_due_at < $scored_at as is_due_by_then,
        sla_due_at < $scored_at and coalesce(first_response_at > sla_due_at, true) as is_breached_by_then,
        case when last_message_at < $scored_at then end_sentiment_label end as end_label_by_then,
        lag(started_at) over (partition by customer_id order by started_at) as previous_started_at
    from conversation_facts
    where started_at < $scored_at
        and customer_id is not null
),

recent as (
    select
        customer_id,
        count(*) as conversation_90d_count,
        count(*) filter (where started_at >= $scored_at - interval 30 day) as conversation_30d_count,
        count(*) filter (where is_due_by_then and not is_answered_by_then) as unanswered_count,
        count(*) filter (where is_breached_by_then) as sla_breach_count,
        count(*) filter (where start_sentiment_label = 'negative') as negative_start_count,
        count(*) filter (where end_label_by_then = 'negative') as negative_end_count,
        count(*) filter (
            where start_sentiment_label = 'negative' and end_label_by_then = 'positive'
        ) as recovered_count,
        count(*) filter (where started_at - previous_started_at <= interval 7 day) as repeat_7d_count,
        count(*) filter (where incident_id is not null) as incident_conversation_count,
        count(*) filter (where channel = 'instagram') / count(*) as instagram_share,
        count(*) filter (where channel = 'messenger') / count(*) as messenger_share,
        count(*) filter (where channel = 'email') / count(*) as email_share,
        count(*) filter (where channel = 'chat') / count(*) as chat_share,
        coalesce(
            arg_max(end_label_by_then, started_at) filter (where end_label_by_then is not null), 'none'
        ) as last_end_sentiment,
        date_diff('minute', max(started_at), $scored_at) / 1440.0 as days_since_last_contact,
        bool_or(is_influencer) as has_influencer_conversation,
        arg_max(conversation_id, started_at) as last_conversation_id,
        max(started_at) as last_started_at
    from history
    where started_at >= $scored_at - interval 90 day
    group by customer_id
),

final as (
    select
        r.customer_id,
        r.last_conversation_id,
        r.last_started_at,
        r.conversation_30d_count,
        r.conversation_90d_count,
        r.unanswered_count,
        r.sla_breach_count,
        r.negative_start_count,
        r.negative_end_count,
        r.recovered_count,
        r.repeat_7d_count,
        r.incident_conversation_count,
        r.last_end_sentiment,
        r.days_since_last_contact,
        r.instagram_share,
        r.messenger_share,
        r.email_share,
        r.chat_share,
        greatest(date_diff('day', k.customer_since, $scored_at::date), 0) as tenure_days,
        coalesce(k.plan, 'unknown') as plan,
        k.monthly_value,
        coalesce(k.follower_count >= $influencer_followers or k.is_media, false)
            or r.has_influencer_conversation as is_influencer
    from recent as r
    left join customers as k
        on r.customer_id = k.customer_id
    where k.churned_at is null
        or k.churned_at >= $scored_at
)

select * from final
order by customer_id

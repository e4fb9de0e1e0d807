-- One conversation's summary: where it came from, its SLA outcome, sentiment, incident and customer.
-- Params: $conversation_id. Grain: one row (none when the id is unknown).
select
    c.conversation_id,
    c.channel,
    c.account,
    c.priority,
    c.started_at,
    c.first_response_at,
    c.last_message_at,
    c.closed_at,
    c.agent_id,
    c.message_count,
    c.sla_status,
    c.first_response_minutes,
    c.first_response_target_minutes,
    c.start_sentiment_label,
    c.end_sentiment_label,
    c.is_influencer,
    c.incident_id,
    i.title as incident_title,
    c.customer_id,
    k.segment,
    k.plan,
    k.churned_at
from conversation_facts as c
left join incidents as i on c.incident_id = i.incident_id
left join customers as k on c.customer_id = k.customer_id
where c.conversation_id = $conversation_id

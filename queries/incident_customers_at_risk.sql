-- Customers at elevated churn risk after one incident: those with an incident conversation that ended negative or went
-- unanswered past its deadline. Params: $incident_id, $channels, $accounts, $priorities. Grain: one row.
select
    count(distinct customer_id) as customer_count,
    count(distinct customer_id) filter (
        where end_sentiment_label = 'negative' or sla_status = 'breached_unanswered'
    ) as at_risk_customer_count,
    count(*) filter (where end_sentiment_label = 'negative' or sla_status = 'breached_unanswered')
        as at_risk_conversation_count
from conversation_facts
where incident_id = $incident_id
    and list_contains($channels, channel)
    and list_contains($accounts, coalesce(account, '(none)'))
    and list_contains($priorities, priority)

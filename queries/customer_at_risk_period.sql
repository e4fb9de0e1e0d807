-- Customers at elevated churn risk by care outcome: conversations that ended negative or went unanswered past their
-- deadline, and (incident only) their distinct customers. Counts read conversation_rollup; the distinct customers
-- read the incident's own conversations (its window only). Params: filters, $incident_id. Grain: period.
with

counted as (
    select
        period,
        sum(conversation_count)::bigint as conversation_count,
        sum(at_risk_count)::bigint as at_risk_conversation_count
    from period_rollup($start_at, $end_at, $channels, $accounts, $priorities, $incident_id)
    group by period
),

incident_customers as (
    -- normal time spans months, so its distinct customers are not comparable with an incident's hours
    select count(distinct c.customer_id) as at_risk_customer_count
    from scoped_conversations(
        greatest($start_at::timestamp, (select started_at from incidents where incident_id = $incident_id)),
        least(
            $end_at::timestamp, (select ended_at + interval 1 second from incidents where incident_id = $incident_id)
        ),
        $channels, $accounts, $priorities
    ) as c
    where c.incident_id = $incident_id
        and (c.end_sentiment_label = 'negative' or c.sla_status = 'breached_unanswered')
),

final as (
    select
        c.period,
        c.conversation_count,
        c.at_risk_conversation_count,
        c.at_risk_conversation_count / c.conversation_count as at_risk_conversation_share,
        case when c.period = 'incident' then i.at_risk_customer_count end as at_risk_customer_count
    from counted as c
    cross join incident_customers as i
)

select * from final
order by period

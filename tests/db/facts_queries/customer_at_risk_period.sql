-- Customers at elevated churn risk by care outcome: conversations that ended negative or went unanswered past their
-- deadline, and (incident only) their distinct customers. Params: filters, $incident_id. Grain: period.
with

periods as (
    select
        period,
        end_sentiment_label = 'negative' or sla_status = 'breached_unanswered' as is_at_risk,
        -- normal time spans months, so its distinct customers are not comparable with an incident's hours
        case
            when period = 'incident' and (end_sentiment_label = 'negative' or sla_status = 'breached_unanswered')
                then customer_id
        end as at_risk_incident_customer_id
    from period_conversations($start_at, $end_at, $channels, $accounts, $priorities, $incident_id)
),

final as (
    select
        period,
        count(*) as conversation_count,
        count(*) filter (where is_at_risk) as at_risk_conversation_count,
        count(*) filter (where is_at_risk) / count(*) as at_risk_conversation_share,
        case when period = 'incident' then count(distinct at_risk_incident_customer_id) end as at_risk_customer_count
    from periods
    group by period
)

select * from final
order by period

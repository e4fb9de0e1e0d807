-- Conversations by start and end sentiment per period; the end is 'no end sentiment' when the customer never wrote
-- after an agent reply. Params: $start_at, $end_at, filters, $incident_id. Grain: period x start x end sentiment.
with

periods as (
    select
        period,
        coalesce(start_sentiment_label, 'unscored') as start_label,
        coalesce(end_sentiment_label, 'no end sentiment') as end_label
    from period_conversations($start_at, $end_at, $channels, $accounts, $priorities, $incident_id)
),

final as (
    select
        period,
        start_label,
        end_label,
        count(*) as conversation_count,
        count(*) / sum(count(*)) over (partition by period, start_label) as share_of_start
    from periods
    group by period, start_label, end_label
)

select * from final
order by period, start_label, end_label

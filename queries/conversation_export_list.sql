-- One row per conversation of a filtered view (a chart bucket narrows the filters), newest first, for lists and CSV.
-- Params: $start_at, $end_at, $channels, $accounts, $priorities, $incident_id ('' any, 'none' normal time), $limit.
-- Grain: conversation (at most $limit rows; match_count counts them all).
with

chosen as (
    select *
    from scoped_conversations($start_at, $end_at, $channels, $accounts, $priorities)
    where $incident_id = ''
        or ($incident_id = 'none' and incident_id is null)
        or incident_id = $incident_id
),

final as (
    select
        conversation_id,
        started_at,
        channel,
        account,
        priority,
        customer_id,
        period,
        incident_id,
        start_sentiment_label,
        end_sentiment_label,
        first_response_minutes,
        sla_status,
        sla_due_at,
        resolution_minutes,
        message_count,
        is_influencer,
        agent_id,
        array_to_string(tags, ';') as tags,
        count(*) over () as match_count
    from chosen
)

select * from final
order by started_at desc, conversation_id
limit $limit

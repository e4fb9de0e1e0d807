-- Influencer or media threads still unanswered or past their SLA deadline, newest first, for triage.
-- Params: $start_at, $end_at, $channels, $accounts, $priorities, $limit. Grain: conversation (at most $limit rows).
with

open_threads as (
    select
        c.conversation_id,
        c.started_at,
        c.channel,
        c.account,
        c.customer_id,
        k.follower_count,
        coalesce(k.is_media, false) as is_media,
        c.sla_status,
        c.first_response_minutes,
        case when not c.is_answered then date_diff('second', c.started_at, data_end_at()) / 60.0 end
            as minutes_waiting,
        c.start_sentiment_label,
        c.incident_id
    from scoped_conversations($start_at, $end_at, $channels, $accounts, $priorities) as c
    left join customers as k on c.customer_id = k.customer_id
    where c.is_influencer
        and (not c.is_answered or c.sla_status = 'breached_answered')
),

final as (
    select
        *,
        count(*) over () as thread_count
    from open_threads
)

select * from final
order by started_at desc, conversation_id
limit $limit

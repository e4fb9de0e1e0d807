-- Conversations matching a search, newest first: message text containing $search (ILIKE, '' = any), a customer id
-- containing $customer_id ('' = any), start sentiment in $sentiments ('unscored' = none) and SLA status in
-- $sla_statuses. Params: $start_at, $end_at, $channels, $accounts, $priorities, $search, $customer_id, $sentiments,
-- $sla_statuses, $limit. Grain: conversation (at most $limit rows; match_count counts them all).
with

text_matches as (
    select distinct conversation_id
    from messages
    where $search <> ''
        and text ilike '%' || $search || '%'
),

found as (
    select
        c.conversation_id,
        c.started_at,
        c.sla_status,
        c.first_response_minutes
    from scoped_conversations($start_at, $end_at, $channels, $accounts, $priorities) as c
    where ($search = '' or c.conversation_id in (select conversation_id from text_matches))
        and ($customer_id = '' or c.customer_id ilike '%' || $customer_id || '%')
        and list_contains($sentiments, coalesce(c.start_sentiment_label, 'unscored'))
        and list_contains($sla_statuses, c.sla_status)
),

counted as (
    select count(*) as match_count
    from found
),

newest as materialized (
    select *
    from found
    order by started_at desc, conversation_id
    limit $limit
),

previews as (
    -- The first matching message (or, without a search, the first customer message) of each listed conversation.
    -- Messages are stored in time order, so the sent_at bound skips most of the table.
    select
        m.conversation_id,
        arg_min(m.text, (m.sent_at, m.message_id)) as preview_text
    from messages as m
    where m.conversation_id in (select conversation_id from newest)
        and m.sent_at >= (select min(started_at) from newest)
        and (
            ($search <> '' and m.text ilike '%' || $search || '%')
            or ($search = '' and m.author_type = 'customer')
        )
    group by m.conversation_id
),

final as (
    -- Descriptive columns are read for the listed rows only (conversations are stored in start order).
    select
        n.conversation_id,
        n.started_at,
        c.channel,
        c.account,
        c.customer_id,
        c.priority,
        c.start_sentiment_label,
        c.end_sentiment_label,
        n.sla_status,
        n.first_response_minutes,
        c.message_count,
        c.incident_id,
        p.preview_text,
        k.match_count
    from newest as n
    inner join conversations as c
        on n.conversation_id = c.conversation_id
        and c.started_at >= (select min(started_at) from newest)
    left join previews as p on n.conversation_id = p.conversation_id
    cross join counted as k
)

select * from final
order by started_at desc, conversation_id

-- One conversation's messages in order, with sentiment and response times: minutes since the previous message and
-- since the conversation started (its first customer message). Params: $conversation_id. Grain: message.
with

thread as (
    select
        m.message_id,
        m.sent_at,
        m.author_type,
        m.author_id,
        m.text,
        m.sentiment_score,
        m.sentiment_label,
        c.started_at
    from messages as m
    inner join conversations as c on m.conversation_id = c.conversation_id
    where m.conversation_id = $conversation_id
),

final as (
    select
        row_number() over (order by sent_at, message_id) as position,
        sent_at,
        author_type,
        author_id,
        text,
        sentiment_score,
        sentiment_label,
        date_diff('second', lag(sent_at) over (order by sent_at, message_id), sent_at) / 60.0
            as minutes_since_previous,
        date_diff('second', started_at, sent_at) / 60.0 as minutes_since_start,
        message_id
    from thread
)

select * from final
order by position

-- Temp table derived_conversations: each conversation in conversation_attrs derived from all its stored messages, the
-- one derivation that import, demo and rescore all run (README "Metric definitions"). start = the first customer
-- message, end = the last customer message only when the customer wrote again after the first agent reply; same-time
-- messages are ordered by message_id, so every run picks the same one. Attributes given in conversation_attrs win.
-- A conversation started outside the file (its first tweet answers one the file lacks) has no known start sentiment.
-- Params: none (reads temp table conversation_attrs). Grain: one row per conversation with a customer message.
create or replace temp table derived_conversations as
with

touched as (
    select m.*
    from messages as m
    where m.conversation_id in (select conversation_id from conversation_attrs)
        -- the same rows; the range lets the scan skip stored row groups outside it (a chunked load reads its own)
        and m.conversation_id between (select min(conversation_id) from conversation_attrs)
        and (select max(conversation_id) from conversation_attrs)
),

starts as (
    select conversation_id, min(sent_at) as started_at
    from touched
    where author_type = 'customer'
    group by conversation_id
),

measured as (
    select
        t.conversation_id,
        s.started_at,
        min(t.sent_at) filter (where t.author_type = 'agent' and t.sent_at > s.started_at) as first_response_at,
        arg_min(t.author_id, (t.sent_at, t.message_id))
            filter (where t.author_type = 'agent' and t.sent_at > s.started_at) as agent_id,
        max(t.sent_at) as last_message_at,
        count(*) as message_count,
        count(*) filter (where t.author_type = 'customer') as customer_message_count,
        arg_min({'score': t.sentiment_score, 'label': t.sentiment_label}, (t.sent_at, t.message_id))
            filter (where t.author_type = 'customer') as first_customer,
        arg_max({'score': t.sentiment_score, 'label': t.sentiment_label}, (t.sent_at, t.message_id))
            filter (where t.author_type = 'customer') as last_customer,
        max(t.sent_at) filter (where t.author_type = 'customer') as last_customer_at
    from touched as t
    inner join starts as s on t.conversation_id = s.conversation_id
    group by t.conversation_id, s.started_at
)

select
    m.conversation_id,
    coalesce(a.channel, old.channel) as channel,
    coalesce(a.account, old.account) as account,
    coalesce(a.customer_id, old.customer_id) as customer_id,
    m.started_at,
    m.first_response_at,
    m.last_message_at,
    coalesce(a.closed_at, old.closed_at) as closed_at,
    coalesce(a.priority, old.priority, 'normal') as priority,
    coalesce(a.tags, old.tags) as tags,
    m.agent_id,
    m.message_count,
    m.customer_message_count,
    case when not outside.started_outside_file then m.first_customer.score end as start_sentiment_score,
    case when not outside.started_outside_file then m.first_customer.label end as start_sentiment_label,
    case when m.last_customer_at > m.first_response_at then m.last_customer.score end as end_sentiment_score,
    case when m.last_customer_at > m.first_response_at then m.last_customer.label end as end_sentiment_label,
    false as is_influencer,
    null as incident_id,
    outside.started_outside_file
from measured as m
inner join conversation_attrs as a on m.conversation_id = a.conversation_id
left join conversations as old on m.conversation_id = old.conversation_id
cross join lateral (
    select coalesce(a.started_outside_file, old.started_outside_file, false) as started_outside_file
) as outside

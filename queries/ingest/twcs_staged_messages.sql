-- The tweets of reply trees with a customer, in the staged message columns the loader takes, in file order, with their
-- sentiment (the score of their text in their voice; labelled at the definitions' thresholds, as the analyzer labels).
-- A brand tweet's author is its signing agent as "<brand>/<initials>" (null when unsigned: the handle is no agent).
-- Params: $positive_at, $negative_at (label thresholds; reads the registered frame text_scores).
-- Grain: one row per message.
select
    t.row_number,
    th.conversation_id,
    t.tweet_id as message_id,
    t.sent_at,
    case when t.is_inbound then 'customer' else 'agent' end as author_type,
    case when t.is_inbound then t.author_id else s.brand || '/' || s.initials end as author_id,
    t.text,
    'twitter' as channel,
    th.account,
    case when t.is_inbound then t.author_id end as customer_id,
    'normal' as priority,
    null::varchar[] as tags,
    null::bigint as follower_count,
    null::boolean as is_media,
    null::timestamp as closed_at,
    th.started_outside_file,
    sc.score as sentiment_score,
    case
        when sc.score >= $positive_at then 'positive'
        when sc.score <= $negative_at then 'negative'
        else 'neutral'
    end as sentiment_label
from tweets as t
inner join components as c on t.idx = c.idx
inner join threads as th on c.component = th.component
left join signatures as s on t.idx = s.idx
inner join texts as x on (not t.is_inbound) = x.brand and coalesce(t.text, '') = x.text
inner join text_scores as sc on x.brand = sc.brand and x.position = sc.position
where th.has_customer
order by t.row_number

-- Influencer and media conversations started in the alert window, most followed first, with their opening words.
-- Params: $start_at, $end_at. Grain: conversation (top 10).
select
    c.conversation_id,
    c.started_at,
    c.channel,
    c.account,
    k.follower_count,
    coalesce(k.is_media, false) as is_media,
    left(m.text, 140) as first_text
from conversations as c
left join customers as k on c.customer_id = k.customer_id
left join messages as m
    on m.conversation_id = c.conversation_id
    and m.author_type = 'customer'
    and m.sent_at = c.started_at
where c.started_at >= $start_at
    and c.started_at < $end_at
    and c.is_influencer
qualify row_number() over (partition by c.conversation_id order by m.message_id) = 1
order by k.follower_count desc nulls last, c.started_at
limit 10

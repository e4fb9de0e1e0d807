-- Flag the conversations an import touched (temp table touched_conversations) whose customer has at least $followers
-- followers or is a media account, as conversations_mark_influencers does for all (only changed rows).
-- Params: $followers (integer). Grain: none (DML).
update conversations as c
set is_influencer = is_influencer_customer(k.follower_count, k.is_media, $followers)
from customers as k
where c.customer_id = k.customer_id
    and c.conversation_id in (select t.conversation_id from touched_conversations as t)
    and c.is_influencer is distinct from is_influencer_customer(k.follower_count, k.is_media, $followers)

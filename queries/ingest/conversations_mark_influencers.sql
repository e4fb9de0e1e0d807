-- Flag conversations whose customer has at least $followers followers or is a media account (only changed rows).
-- Params: $followers (integer). Grain: none (DML).
update conversations as c
set is_influencer = is_influencer_customer(k.follower_count, k.is_media, $followers)
from customers as k
where c.customer_id = k.customer_id
    and c.is_influencer is distinct from is_influencer_customer(k.follower_count, k.is_media, $followers)

-- Flag conversations whose customer has at least $followers followers or is a media account (only changed rows).
-- Params: $followers (integer). Grain: none (DML).
update conversations as c
set is_influencer = coalesce(k.follower_count >= $followers or k.is_media, false)
from customers as k
where c.customer_id = k.customer_id
    and c.is_influencer is distinct from coalesce(k.follower_count >= $followers or k.is_media, false)

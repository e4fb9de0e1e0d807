-- Whether a customer is an influencer: at least `followers` followers, or a media account (README definitions).
-- Params: follower_count, is_media (the customer's), followers (the threshold). Returns: a boolean, never null.
create or replace macro is_influencer_customer(follower_count, is_media, followers) as
    coalesce(follower_count >= followers or is_media, false)

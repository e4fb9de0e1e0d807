-- Scratch table tweets: the typed tweets numbered 0..n-1 in file order (idx), for labelling reply trees.
-- Params: none. Grain: one row per tweet.
create or replace table tweets as
select
    row_number() over (order by row_number) - 1 as idx,
    row_number, tweet_id, author_id, is_inbound, sent_at, text, parent_id, response_tweet_id
from typed
order by row_number

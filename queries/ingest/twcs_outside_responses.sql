-- Scratch table outside_responses: each response_tweet_id value that names a tweet the file does not hold.
-- Params: none (reads scratch table tweets). Grain: one row per unresolved response link (idx, response_id).
create or replace table outside_responses as
with

links as (
    select
        idx,
        clean_id(unnest(string_split(response_tweet_id, ','))) as response_id
    from tweets
    where response_tweet_id is not null
)

select
    l.idx,
    l.response_id
from links as l
anti join tweets as t on l.response_id = t.tweet_id
where l.response_id is not null

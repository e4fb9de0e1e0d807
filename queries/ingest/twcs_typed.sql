-- Scratch table typed: the twcs file's tweets with typed values, a key (tweet_id) and a content hash.
-- Params: none. Grain: one row per data row.
create or replace table typed as
select *, tweet_id as key, hash(author_id, is_inbound, sent_at, text, parent_id) as content
from (
    select
        rowid + 1 as row_number,
        clean_id(tweet_id) as tweet_id,
        clean_id(author_id) as author_id,
        parse_bool(inbound) as is_inbound,
        parse_tweet_time(created_at) as sent_at,
        text,
        clean_id(in_response_to_tweet_id) as parent_id,
        response_tweet_id
    from raw
)

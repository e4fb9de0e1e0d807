-- How many reply links point at tweets outside the file, by link column.
-- Params: none. Grain: one row (parents, responses).
select
    (
        select count(*)
        from tweets
        where parent_id is not null and parent_id not in (select tweet_id from tweets)
    ) as parents,
    (
        select count(*)
        from (select clean_id(unnest(string_split(response_tweet_id, ','))) as response_id from tweets)
        where response_id is not null and response_id not in (select tweet_id from tweets)
    ) as responses

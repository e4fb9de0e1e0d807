-- How many reply links point at tweets outside the file, by link column.
-- Params: none (reads scratch tables tweets and outside_responses). Grain: one row (parents, responses).
select
    (
        select count(*)
        from tweets as t
        anti join tweets as p on t.parent_id = p.tweet_id
        where t.parent_id is not null
    ) as parents,
    (select count(*) from outside_responses) as responses

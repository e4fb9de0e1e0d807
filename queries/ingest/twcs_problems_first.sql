-- The first twcs row with a problem: a missing tweet or author id, unreadable inbound flag or created_at.
-- Params: none. Grain: at most one row (row_number, problem, value).
with

checked as (
    select
        rowid + 1 as row_number,
        *,
        case
            when clean_id(tweet_id) is null then 'tweet_id'
            when clean_id(author_id) is null then 'author_id'
            when parse_bool(inbound) is null then 'inbound'
            when parse_tweet_time(created_at) is null then 'created_at'
        end as problem
    from raw
)

select
    row_number,
    problem,
    case problem when 'inbound' then inbound when 'created_at' then created_at end as value
from checked
where problem is not null
order by row_number
limit 1

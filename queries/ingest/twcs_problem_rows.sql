-- twcs rows with a problem, first first: missing tweet or author id, bad inbound flag, bad or implausible created_at.
-- Params: $earliest, $latest (timestamps). Grain: one row per bad data row (row_number, problem, value).
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
            when bad_offset(created_at) then 'created_at:offset'
            when implausible(parse_tweet_time(created_at), $earliest, $latest) then 'created_at:window'
        end as problem
    from raw
)

select
    row_number,
    problem,
    case split_part(problem, ':', 1) when 'inbound' then inbound when 'created_at' then created_at end as value
from checked
where problem is not null
order by row_number

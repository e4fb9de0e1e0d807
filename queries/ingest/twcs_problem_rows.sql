-- twcs rows with a problem, first first: missing tweet or author id, bad inbound flag, bad or implausible created_at.
-- Params: $earliest, $latest (timestamps). Grain: one row per bad data row (row_number, problem, value).
with

parsed as (
    -- each time parsed once per row (the checks below read it twice)
    select
        rowid + 1 as row_number,
        tweet_id,
        author_id,
        inbound,
        created_at,
        parse_tweet_time(created_at) as sent_at,
        offset_parts(created_at) as offset_parts
    from raw
),

checked as (
    select
        row_number,
        inbound,
        created_at,
        case
            when clean_id(tweet_id) is null then 'tweet_id'
            when clean_id(author_id) is null then 'author_id'
            when parse_bool(inbound) is null then 'inbound'
            when sent_at is null then 'created_at'
            when bad_offset_parts(offset_parts) then 'created_at:offset'
            when implausible(sent_at, $earliest, $latest) then 'created_at:window'
        end as problem
    from parsed
)

select
    row_number,
    problem,
    case split_part(problem, ':', 1) when 'inbound' then inbound when 'created_at' then created_at end as value
from checked
where problem is not null
order by row_number

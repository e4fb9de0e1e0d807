-- The first customers-file row with a problem: a missing id, unreadable number or date, bad yes/no.
-- Params: none. Grain: at most one row (row_number, problem, value).
with

checked as (
    select
        rowid + 1 as row_number,
        *,
        case
            when clean_text(customer_id) is null then 'customer_id'
            when clean_text(monthly_value) is not null and parse_number(monthly_value) is null then 'monthly_value'
            when clean_text(customer_since) is not null and parse_ts(customer_since) is null then 'customer_since'
            when clean_text(churned_at) is not null and parse_ts(churned_at) is null then 'churned_at'
            when clean_text(follower_count) is not null and parse_count(follower_count) is null then 'follower_count'
            when clean_text(is_media) is not null and parse_bool(is_media) is null then 'is_media'
        end as problem
    from raw
)

select
    row_number,
    problem,
    case problem
        when 'monthly_value' then monthly_value
        when 'customer_since' then customer_since
        when 'churned_at' then churned_at
        when 'follower_count' then follower_count
        when 'is_media' then is_media
    end as value
from checked
where problem is not null
order by row_number
limit 1

-- Customers-file rows with a problem, first first: missing id, bad or out-of-range number, bad or implausible date.
-- Params: $earliest, $latest (timestamps), $max_followers, $max_value (numbers). Grain: one row per bad data row.
with

checked as (
    select
        rowid + 1 as row_number,
        *,
        case
            when clean_text(customer_id) is null then 'customer_id'
            when clean_text(monthly_value) is not null and parse_number(monthly_value) is null then 'monthly_value'
            when out_of_range(monthly_value, 0, $max_value) then 'monthly_value:range'
            when clean_text(customer_since) is not null and parse_ts(customer_since) is null then 'customer_since'
            when clean_text(customer_since) is not null and bad_offset(customer_since) then 'customer_since:offset'
            when implausible(parse_ts(customer_since), $earliest, $latest) then 'customer_since:window'
            when clean_text(churned_at) is not null and parse_ts(churned_at) is null then 'churned_at'
            when clean_text(churned_at) is not null and bad_offset(churned_at) then 'churned_at:offset'
            when implausible(parse_ts(churned_at), $earliest, $latest) then 'churned_at:window'
            when clean_text(follower_count) is not null and parse_number(follower_count) is null then 'follower_count'
            when out_of_range(follower_count, 0, $max_followers) then 'follower_count:range'
            when clean_text(follower_count) is not null and parse_count(follower_count) is null then 'follower_count'
            when clean_text(is_media) is not null and parse_bool(is_media) is null then 'is_media'
        end as problem
    from raw
)

select
    row_number,
    problem,
    case split_part(problem, ':', 1)
        when 'monthly_value' then monthly_value
        when 'customer_since' then customer_since
        when 'churned_at' then churned_at
        when 'follower_count' then follower_count
        when 'is_media' then is_media
    end as value
from checked
where problem is not null
order by row_number

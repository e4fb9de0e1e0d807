-- Scratch table typed: the customers file's rows with typed values, a key (customer_id) and a content hash.
-- Params: none. Grain: one row per data row.
create or replace table typed as
select
    *,
    customer_id as key,
    hash(segment, plan, monthly_value, customer_since, churned_at, follower_count, is_media) as content
from (
    select
        rowid + 1 as row_number,
        clean_text(customer_id) as customer_id,
        clean_text(segment) as segment,
        clean_text(plan) as plan,
        parse_number(monthly_value) as monthly_value,
        parse_ts(customer_since)::date as customer_since,
        parse_ts(churned_at) as churned_at,
        parse_count(follower_count) as follower_count,
        parse_bool(is_media) as is_media
    from raw
)

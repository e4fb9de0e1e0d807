-- Update customers from a companion file; a column it leaves blank keeps the stored value.
-- Params: none (reads the registered frame staged_customers). Grain: none (DML).
insert into customers (
    customer_id, segment, plan, monthly_value, customer_since, churned_at, follower_count, is_media
)
select
    customer_id,
    segment::varchar,
    plan::varchar,
    monthly_value::double,
    customer_since::date,
    churned_at::timestamp,
    follower_count::bigint,
    is_media::boolean
from staged_customers
on conflict (customer_id) do update set
    segment = coalesce(excluded.segment, customers.segment),
    plan = coalesce(excluded.plan, customers.plan),
    monthly_value = coalesce(excluded.monthly_value, customers.monthly_value),
    customer_since = coalesce(excluded.customer_since, customers.customer_since),
    churned_at = coalesce(excluded.churned_at, customers.churned_at),
    follower_count = coalesce(excluded.follower_count, customers.follower_count),
    is_media = coalesce(excluded.is_media, customers.is_media)

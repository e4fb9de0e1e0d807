-- Customers seen on staged customer messages: add new ones, keep the larger follower count and any media flag.
-- Params: none (reads the registered frame staged). Grain: none (DML).
insert into customers (customer_id, follower_count, is_media)
select customer_id, max(follower_count), coalesce(bool_or(is_media), false)
from staged
where author_type = 'customer' and customer_id is not null
group by customer_id
on conflict (customer_id) do update set
    follower_count = greatest(customers.follower_count, excluded.follower_count),
    is_media = customers.is_media or excluded.is_media

-- How many tweets belong to reply trees without any customer tweet (skipped).
-- Params: none. Grain: one row.
select coalesce(sum(tweet_count), 0) as tweet_count
from threads
where not has_customer

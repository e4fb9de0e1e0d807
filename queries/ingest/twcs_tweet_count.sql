-- How many tweets the scratch table tweets holds.
-- Params: none. Grain: one row.
select count(*) as tweet_count
from tweets

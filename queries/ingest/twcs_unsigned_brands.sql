-- Brands that never sign a tweet in the file, busiest first: their replies carry no per-agent id.
-- Params: none (reads scratch table signatures). Grain: one row per unsigned brand.
select brand, count(*) as tweet_count
from signatures
group by brand
having count(initials) = 0
order by tweet_count desc, brand

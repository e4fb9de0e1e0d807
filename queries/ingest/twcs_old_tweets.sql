-- Tweets dated far before the file's median, and the earliest of them.
-- Params: $days (integer, how far before the median counts as old). Grain: one row (count, earliest).
select count(*), min(sent_at)
from tweets
where sent_at < (select quantile_disc(sent_at, 0.5) from tweets) - to_days($days)

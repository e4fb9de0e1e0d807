-- Reply links resolved inside the file, as pairs of tweet numbers.
-- Params: none. Grain: one row per resolved reply (child, parent).
select child.idx as child, parent.idx as parent
from tweets as child
inner join tweets as parent on child.parent_id = parent.tweet_id

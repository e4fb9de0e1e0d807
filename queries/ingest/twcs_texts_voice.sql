-- The distinct texts of one voice, in the order of their position (the order their scores come back in).
-- Params: $brand (boolean: brand replies, else customer tweets). Grain: one row per distinct text.
select text
from texts
where brand = $brand
order by position

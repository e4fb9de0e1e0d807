-- How many data rows the scratch table raw holds.
-- Params: none. Grain: one row.
select count(*) as row_count
from raw

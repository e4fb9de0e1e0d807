-- A companion file's typed rows (customers or incidents) without the bookkeeping columns, in file order.
-- Params: none. Grain: one row per customer or incident.
select * exclude (key, content, row_number)
from typed
order by row_number

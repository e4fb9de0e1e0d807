-- The scratch table raw (every column of the file as text) from the first registered chunk of the file.
-- Params: none (reads the registered frame chunk). Grain: one row per data row of the file.
create table raw as
select *
from chunk

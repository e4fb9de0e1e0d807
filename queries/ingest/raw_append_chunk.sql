-- Append a later registered chunk of the file to the scratch table raw.
-- Params: none (reads the registered frame chunk). Grain: one row per data row of the file.
insert into raw
select *
from chunk

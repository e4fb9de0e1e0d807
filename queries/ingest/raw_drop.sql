-- Drop the scratch table raw once its rows are typed (or when a direct read of the file gave up).
-- Params: none. Grain: none (DDL).
drop table if exists raw

-- Drop the scratch table raw once its rows are typed.
-- Params: none. Grain: none (DDL).
drop table raw

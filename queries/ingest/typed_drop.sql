-- Drop the scratch table typed once its rows are copied on.
-- Params: none. Grain: none (DDL).
drop table typed

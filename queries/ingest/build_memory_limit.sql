-- The memory DuckDB may hold while building the demo (beyond it, it spills to a temp folder beside the file), so
-- a build of any size fits a laptop beside the generator's own few hundred MB.
-- Params: none. Grain: a setting.
set memory_limit = '4GB'

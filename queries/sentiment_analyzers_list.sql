-- Which sentiment analyzers scored the loaded messages, from the import history (an old import keeps the analyzer
-- of its day). Params: none. Grain: analyzer.
select
    coalesce(analyzer, '(not recorded)') as analyzer,
    count(*) as import_count,
    sum(rows_loaded) as rows_loaded,
    min(imported_at) as first_imported_at,
    max(imported_at) as last_imported_at
from import_log
group by all
order by last_imported_at desc

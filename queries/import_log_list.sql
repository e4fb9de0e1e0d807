-- Import history, newest first: what each import loaded and skipped (with reasons, as JSON) and which sentiment
-- analyzer scored its messages. Params: none. Grain: import.
select
    imported_at,
    kind,
    file,
    rows_loaded,
    rows_skipped,
    skipped_reasons,
    analyzer
from import_log
order by imported_at desc

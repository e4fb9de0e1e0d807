-- Scratch table typed: the incidents file's rows with typed values, a key (incident_id) and a content hash.
-- Params: none. Grain: one row per data row.
create or replace table typed as
select *, incident_id as key, hash(title, started_at, ended_at, severity, services) as content
from (
    select
        rowid + 1 as row_number,
        clean_text(incident_id) as incident_id,
        clean_text(title) as title,
        parse_ts(started_at) as started_at,
        parse_ts(ended_at) as ended_at,
        clean_text(severity) as severity,
        clean_text(services) as services
    from raw
)

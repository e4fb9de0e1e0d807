-- Drop the rows that failed their checks from the scratch table raw (--skip-invalid); the others keep their rowid.
-- Params: none (reads the registered frame invalid_rows: row_number). Grain: none (DML).
delete from raw
where rowid + 1 in (select row_number from invalid_rows)

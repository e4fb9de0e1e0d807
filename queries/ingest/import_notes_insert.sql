-- Keep one thing the importer noticed about the file (kind, count, detail) with its import_log row.
-- Params: $at (timestamp, the import's), $file, $kind, $count (integer or null), $detail. Grain: none (DML).
insert into import_notes
values ($at, $file, $kind, $count, $detail)

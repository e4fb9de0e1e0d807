-- Record one import in the import log.
-- Params: $at (timestamp), $kind, $file, $reasons (JSON), $analyzer (text), $loaded, $skipped. Grain: none (DML).
insert into import_log
values ($at, $kind, $file, $loaded, $skipped, $reasons, $analyzer)

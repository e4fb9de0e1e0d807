-- Record which analyzer scored the stored sentiment.
-- Params: $name (text). Grain: none (DML).
insert or replace into schema_info
values ('sentiment_analyzer', $name)

-- The scratch table raw read by DuckDB itself from a twcs CSV file: the twcs columns as text in file order, empty
-- values null, and the stand-in for a bare carriage return (chr(31); dashboard/ingest/common.py) turned back into one.
-- Params: $path (the file to read), $columns (each of its columns -> 'varchar'). Grain: one row per data row.
create table raw as
select
    nullif(replace(tweet_id, chr(31), chr(13)), '') as tweet_id,
    nullif(replace(author_id, chr(31), chr(13)), '') as author_id,
    nullif(replace(inbound, chr(31), chr(13)), '') as inbound,
    nullif(replace(created_at, chr(31), chr(13)), '') as created_at,
    nullif(replace(text, chr(31), chr(13)), '') as text,
    nullif(replace(response_tweet_id, chr(31), chr(13)), '') as response_tweet_id,
    nullif(replace(in_response_to_tweet_id, chr(31), chr(13)), '') as in_response_to_tweet_id
from read_csv(
    $path,
    header = true,
    columns = $columns,
    auto_detect = false,
    delim = ',',
    quote = '"',
    escape = '"',
    new_line = '\n',
    strict_mode = true,
    null_padding = false,
    max_line_size = 1000000000
)

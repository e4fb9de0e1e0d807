-- Settings (times in UTC) and value parsers of the in-memory scratch databases the import readers work in.
-- Params: none. Grain: a setting and macros; each parser returns null for a value it cannot read.
set TimeZone = 'UTC';
create macro clean_text(x) as nullif(trim(x), '');
create macro clean_id(x) as regexp_replace(clean_text(x), '^(\d+)\.0+$', '\1');
create macro parse_ts(x) as try_cast(clean_text(x) as timestamptz)::timestamp;
create macro parse_bool(x) as case
    when lower(clean_text(x)) in ('true', '1', 'yes') then true
    when lower(clean_text(x)) in ('false', '0', 'no') then false
end;
create macro parse_tweet_time(x) as coalesce(
    try_strptime(clean_text(x), '%a %b %d %H:%M:%S %z %Y')::timestamp,
    parse_ts(x)
);
create macro parse_number(x) as try_cast(clean_text(x) as double);
create macro parse_count(x) as case
    when parse_number(x) = round(parse_number(x)) then parse_number(x)::bigint
end;

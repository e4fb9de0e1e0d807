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
    when isfinite(parse_number(x)) and parse_number(x) = round(parse_number(x)) then try_cast(parse_number(x) as bigint)
end;
-- A number given but not finite or outside [low, high] (NaN, inf, negatives, overflowing counts).
create macro out_of_range(x, low, high) as
    parse_number(x) is not null and not (isfinite(parse_number(x)) and parse_number(x) between low and high);
-- The UTC offset written after a time (+05:30, -0800, +9999 in the tweet format), in minutes; 0 when none.
create macro offset_parts(x) as regexp_extract(
    clean_text(x), '\d:\d{2}(?::\d{2}(?:\.\d+)?)?\s*[+-](\d{2}):?(\d{2})?(?: \d{4})?$', ['hours', 'minutes']
);
create macro offset_minutes(x) as coalesce(
    try_cast(offset_parts(x).hours as integer) * 60 + coalesce(try_cast(offset_parts(x).minutes as integer), 0), 0
);
-- A time outside the plausible window [earliest, latest): infinity, epoch, year 1 or 9999, BC dates and the like.
create macro implausible(ts, earliest, latest) as not (ts >= earliest and ts < latest);
-- An offset no place uses: beyond +-14:00, or with 60 minutes or more; from offset_parts already extracted (a query
-- that extracts them once per row names its column here instead of running the pattern three times).
create macro bad_offset_parts(parts) as
    coalesce(try_cast(parts.hours as integer) * 60 + coalesce(try_cast(parts.minutes as integer), 0), 0) > 840
    or coalesce(try_cast(parts.minutes as integer), 0) >= 60;
create macro bad_offset(x) as bad_offset_parts(offset_parts(x));

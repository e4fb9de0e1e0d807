-- Scratch table typed: the care export's rows with typed values, a key (message_id) and a content hash.
-- Params: none. Grain: one row per data row.
create or replace table typed as
select
    *,
    message_id as key,
    hash(
        conversation_id, sent_at, author_type, author_id, text, channel, account, customer_id, priority, tags,
        follower_count, is_media, closed_at
    ) as content
from (
    select
        rowid + 1 as row_number,
        clean_text(conversation_id) as conversation_id,
        clean_text(message_id) as message_id,
        parse_ts(sent_at) as sent_at,
        lower(clean_text(author_type)) as author_type,
        clean_text(author_id) as author_id,
        text,
        lower(clean_text(channel)) as channel,
        clean_text(account) as account,
        clean_text(customer_id) as customer_id,
        lower(clean_text(priority)) as priority,
        nullif(list_filter(list_transform(string_split(tags, ';'), lambda t: trim(t)), lambda t: t <> ''), [])
            as tags,
        parse_count(follower_count) as follower_count,
        parse_bool(is_media) as is_media,
        parse_ts(closed_at) as closed_at
    from raw
)

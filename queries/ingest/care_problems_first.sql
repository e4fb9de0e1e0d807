-- The first care export row with a problem: a missing id, unreadable time, unknown choice or bad number.
-- Params: $author_types, $channels, $priorities (lists). Grain: at most one row (row_number, problem, value).
with

checked as (
    select
        rowid + 1 as row_number,
        *,
        case
            when clean_text(conversation_id) is null then 'conversation_id'
            when clean_text(message_id) is null then 'message_id'
            when parse_ts(sent_at) is null then 'sent_at'
            when not list_contains($author_types, coalesce(lower(clean_text(author_type)), '')) then 'author_type'
            when not list_contains($channels, coalesce(lower(clean_text(channel)), '')) then 'channel'
            when not list_contains($priorities, coalesce(lower(clean_text(priority)), 'normal')) then 'priority'
            when lower(clean_text(author_type)) = 'customer' and clean_text(customer_id) is null then 'customer_id'
            when clean_text(follower_count) is not null and parse_count(follower_count) is null then 'follower_count'
            when clean_text(is_media) is not null and parse_bool(is_media) is null then 'is_media'
            when clean_text(closed_at) is not null and parse_ts(closed_at) is null then 'closed_at'
        end as problem
    from raw
)

select
    row_number,
    problem,
    case problem
        when 'sent_at' then sent_at
        when 'author_type' then author_type
        when 'channel' then channel
        when 'priority' then priority
        when 'follower_count' then follower_count
        when 'is_media' then is_media
        when 'closed_at' then closed_at
    end as value
from checked
where problem is not null
order by row_number
limit 1

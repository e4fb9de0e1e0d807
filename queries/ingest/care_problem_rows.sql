-- Care export rows with a problem, first first: missing id, unreadable or implausible time, unknown choice, bad number.
-- Params: $author_types, $channels, $priorities (lists), $earliest, $latest, $max_followers. Grain: one per bad row.
with

checked as (
    select
        rowid + 1 as row_number,
        *,
        case
            when clean_text(conversation_id) is null then 'conversation_id'
            when clean_text(message_id) is null then 'message_id'
            when parse_ts(sent_at) is null then 'sent_at'
            when bad_offset(sent_at) then 'sent_at:offset'
            when implausible(parse_ts(sent_at), $earliest, $latest) then 'sent_at:window'
            when not list_contains($author_types, coalesce(lower(clean_text(author_type)), '')) then 'author_type'
            when not list_contains($channels, coalesce(lower(clean_text(channel)), '')) then 'channel'
            when not list_contains($priorities, coalesce(lower(clean_text(priority)), 'normal')) then 'priority'
            when lower(clean_text(author_type)) = 'customer' and clean_text(customer_id) is null then 'customer_id'
            when clean_text(follower_count) is not null and parse_number(follower_count) is null then 'follower_count'
            when out_of_range(follower_count, 0, $max_followers) then 'follower_count:range'
            when clean_text(follower_count) is not null and parse_count(follower_count) is null then 'follower_count'
            when clean_text(is_media) is not null and parse_bool(is_media) is null then 'is_media'
            when clean_text(closed_at) is not null and parse_ts(closed_at) is null then 'closed_at'
            when clean_text(closed_at) is not null and bad_offset(closed_at) then 'closed_at:offset'
            when implausible(parse_ts(closed_at), $earliest, $latest) then 'closed_at:window'
        end as problem
    from raw
)

select
    row_number,
    problem,
    case split_part(problem, ':', 1)
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

-- Scratch table signatures: the agent who signed each brand tweet, from the signature forms brands use at the end of a
-- reply ("^JK", "*JS", "~AB", "^ Becky", "-MT", "- Jane", "/MT", "--JV", "Thanks-Sha", "... help. KB", "...ください ET").
-- Params: none. Grain: one row per outbound tweet (initials null when unsigned).
create or replace table signatures as
with

outbound as (
    select
        idx,
        author_id as brand,
        text,
        -- what brands write after a signature: links, part counters (2/2, (1/3)), spaces and full stops
        regexp_replace(text, '(?:[\s.]*(?:https?://\S+|\(?\d/\d\)?))+[\s.]*$', '') as tail
    from tweets
    where not is_inbound
),

forms as (
    select
        idx,
        brand,
        -- a mark then a name or initials: the mark may follow anything
        nullif(regexp_extract(tail, '[\^*~] ?([A-Za-z]{2,20})$', 1), '') as marked,
        -- a dash or slash then a name: only after a space, a dash or punctuation (not "Wi-Fi", "w/our")
        nullif(regexp_extract(tail, '(?:^|[\s.!?,;:)-])[-/–—] ?([A-Za-z]{2,20})$', 1), '') as dashed,
        nullif(regexp_extract(tail, '(?i:thanks|thank you|cheers)[-–] ?([A-Za-z]{2,20})$', 1), '') as thanked,
        -- bare capital initials closing a sentence ("... help. KB"), never a common abbreviation
        nullif(regexp_extract(tail, '[.!?] ([A-Z]{2,3})$', 1), '') as bare,
        -- Japanese replies end with the agent's capital initials after the text or a link ("...ください ET")
        case when regexp_matches(text, '[\p{Hiragana}\p{Katakana}]') then
            nullif(regexp_extract(regexp_replace(text, '\s+$', ''), '(?:^|[^A-Za-z])([A-Z]{2,3})$', 1), '')
        end as japanese
    from outbound
)

select
    idx,
    brand,
    coalesce(
        marked,
        dashed,
        thanked,
        case when bare not in ('DM', 'OK', 'US', 'USA', 'FYI', 'ASAP', 'PM', 'AM', 'TV', 'ID', 'PIN') then bare end,
        japanese
    ) as initials
from forms

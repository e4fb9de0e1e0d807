-- Scratch table threads: each reply tree with its conversation id (root tweet), customer presence and brand account;
-- started outside the file when its root tweet replies to a tweet the file does not hold.
-- Params: none (reads the registered frame components: idx, component). Grain: one row per reply tree.
create or replace table threads as
with

members as (
    select
        c.component,
        t.idx,
        t.tweet_id,
        t.author_id,
        t.is_inbound,
        t.sent_at,
        t.parent_id,
        parent.idx is not null as has_parent
    from tweets as t
    inner join components as c on t.idx = c.idx
    left join tweets as parent on t.parent_id = parent.tweet_id
),

brands as (
    select lower(author_id) as handle, min(author_id) as brand
    from tweets
    where not is_inbound
    group by lower(author_id)
),

handles as (
    select c.component, t.sent_at, t.idx, h.handle, h.position
    from tweets as t
    inner join components as c on t.idx = c.idx,
        unnest(regexp_extract_all(t.text, '@(\w+)', 1)) with ordinality as h(handle, position)
    where t.is_inbound and contains(t.text, '@')  -- a text without '@' mentions no handle
),

mentioned as (
    select h.component, arg_min(b.brand, (h.sent_at, h.idx, h.position)) as account
    from handles as h
    inner join brands as b on lower(h.handle) = b.handle
    group by h.component
)

select
    m.component,
    arg_min(m.tweet_id, (m.has_parent, m.idx)) as conversation_id,
    bool_or(m.is_inbound) as has_customer,
    count(*) as tweet_count,
    bool_or(m.parent_id is not null and not m.has_parent) as started_outside_file,
    bool_or(not m.is_inbound) as has_brand_reply,
    coalesce(arg_min(m.author_id, (m.sent_at, m.idx)) filter (where not m.is_inbound), any_value(x.account))
        as account
from members as m
left join mentioned as x on m.component = x.component
group by m.component

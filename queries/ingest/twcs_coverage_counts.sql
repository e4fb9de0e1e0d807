-- What the file holds of each side of care: conversations started outside it, conversations without a brand tweet
-- (those with a reply link leaving the file; those whose brand never tweets in it), brand tweets an agent signed.
-- Params: none (reads scratch tables outside_responses, components, threads, signatures). Grain: one row.
with

leaving as (
    select distinct c.component
    from outside_responses as o
    inner join components as c on o.idx = c.idx
),

conversations as (
    select
        count(*) as conversation_count,
        count(*) filter (where started_outside_file) as started_outside_count,
        count(*) filter (where not has_brand_reply) as no_brand_reply_count,
        count(*) filter (where not has_brand_reply and component in (select component from leaving))
            as replied_outside_count,
        count(*) filter (where account is null) as no_brand_count
    from threads
    where has_customer
),

signed as (
    select
        count(*) as brand_tweet_count,
        count(initials) as signed_tweet_count,
        count(distinct brand) as brand_count,
        count(distinct brand) filter (where initials is not null) as signing_brand_count,
        count(distinct brand || '/' || initials) as agent_count
    from signatures
)

select * from conversations, signed

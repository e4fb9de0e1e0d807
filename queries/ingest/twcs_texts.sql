-- Scratch table texts: each distinct text of the tweets to load, once per voice (brand replies are read apart),
-- numbered within its voice; an empty text is ''. Sentiment is scored once per row here.
-- Params: none (reads scratch tables tweets, components, threads). Grain: one row per distinct text and voice.
create or replace table texts as
select
    brand,
    text,
    row_number() over (partition by brand) - 1 as position
from (
    select distinct
        not t.is_inbound as brand,
        coalesce(t.text, '') as text
    from tweets as t
    inner join components as c on t.idx = c.idx
    inner join threads as th on c.component = th.component
    where th.has_customer
)

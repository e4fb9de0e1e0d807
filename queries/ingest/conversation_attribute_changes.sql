-- How many stored conversations the fresh derivation changes, per attribute (before they are replaced).
-- Params: none (reads temp table derived_conversations). Grain: one row.
select
    count(*) filter (where c.channel is distinct from d.channel) as channel,
    count(*) filter (where c.account is distinct from d.account) as account,
    count(*) filter (where c.customer_id is distinct from d.customer_id) as customer,
    count(*) filter (where c.priority is distinct from d.priority) as priority,
    count(*) filter (where c.closed_at is distinct from d.closed_at) as closed_at
from derived_conversations as d
inner join conversations as c on d.conversation_id = c.conversation_id

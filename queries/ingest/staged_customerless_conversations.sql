-- Staged conversations with no customer message in the file nor stored: they have no start, so their rows are skipped.
-- An agent reply to a conversation stored by an earlier import is kept (it may be the first response).
-- Params: none (reads the registered frame staged). Grain: one row per conversation skipped.
with

customerless as (
    select
        conversation_id,
        count(*) as row_count
    from staged
    group by conversation_id
    having not bool_or(author_type = 'customer')
)

select
    s.conversation_id,
    s.row_count
from customerless as s
anti join conversations as c on s.conversation_id = c.conversation_id

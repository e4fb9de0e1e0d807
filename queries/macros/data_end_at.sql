-- The data end: the newest message in the database. SLA deadlines after it are still pending, and windows reaching
-- past it are not yet observed. Params: none. Returns: a timestamp (null for an empty database).
create or replace macro data_end_at() as (
    select max(last_message_at)
    from conversations
)

-- Temp table conversation_attrs: each staged conversation's attributes, first non-empty value (priority: first row's).
-- Params: none (reads the registered frame staged). Grain: one row per staged conversation.
create or replace temp table conversation_attrs as
select
    conversation_id,
    arg_min(channel, row_number)::varchar as channel,
    arg_min(account, row_number)::varchar as account,
    arg_min(customer_id, (sent_at, row_number)) filter (where author_type = 'customer')::varchar as customer_id,
    arg_min_null(priority, row_number)::varchar as priority,
    string_split(arg_min(tags, row_number)::varchar, ';') as tags,
    max(closed_at)::timestamp as closed_at,
    bool_or(started_outside_file) as started_outside_file
from staged
group by conversation_id

-- What is loaded: every table's row count and the time span of its main timestamp (the whole database, unfiltered).
-- Params: none. Grain: table.
with

spans as (
    select 'messages' as table_name, count(*) as row_count, min(sent_at) as first_at, max(sent_at) as last_at,
        'sent_at' as time_column
    from messages
    union all
    select 'conversations', count(*), min(started_at), max(started_at), 'started_at'
    from conversations
    union all
    select 'customers', count(*), min(churned_at), max(churned_at), 'churned_at'
    from customers
    union all
    select 'incidents', count(*), min(started_at), max(ended_at), 'started_at / ended_at'
    from incidents
    union all
    select 'sla_policies', count(*), null, null, null
    from sla_policies
    union all
    select 'import_log', count(*), min(imported_at), max(imported_at), 'imported_at'
    from import_log
),

final as (
    select
        table_name,
        row_count,
        time_column,
        first_at,
        last_at,
        date_diff('day', first_at::date, last_at::date) + 1 as days_covered
    from spans
)

select * from final

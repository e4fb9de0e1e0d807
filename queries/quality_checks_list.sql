-- Data-quality warnings over the whole database: each check's problem count, the count it was checked against, and
-- rows skipped at import by reason (import_log). The data end is the newest message. Params: none. Grain: check.
with

data_end as (
    select max(sent_at) as data_end_at, (select max(imported_at) from import_log) as last_import_at
    from messages
),

conversation_checks as (
    select
        count(*) as conversation_count,
        count(*) filter (where agent_id is null and first_response_at is not null) as answered_without_agent,
        count(*) filter (where first_response_at is null) as unanswered,
        count(*) filter (where customer_id is null) as without_customer_id,
        count(*) filter (where closed_at < started_at) as closed_before_start
    from conversations
),

missing_customers as (
    select count(*) as without_customer_row
    from (select distinct customer_id from conversations where customer_id is not null) as c
    anti join customers as k on c.customer_id = k.customer_id
),

incident_checks as (
    select
        count(*) as incident_count,
        count(*) filter (where started_at > (select data_end_at from data_end)) as after_data_end
    from incidents
),

message_checks as (
    select
        count(*) as message_count,
        count(*) filter (where text is null or trim(text) = '') as empty_text,
        count(*) filter (where sent_at > (select last_import_at from data_end)) as sent_after_import
    from messages
),

customer_checks as (
    select
        count(*) as customer_count,
        count(*) filter (
            where segment is null and plan is null and customer_since is null and monthly_value is null
                and churned_at is null
        ) as without_details,
        count(*) filter (where customer_since > (select data_end_at from data_end)) as since_after_data_end
    from customers
),

skips as (
    select
        reason,
        sum((skipped_reasons::json ->> reason)::bigint)::bigint as skipped_count
    from import_log
    cross join unnest(json_keys(skipped_reasons::json)) as r(reason)
    group by reason
),

checks as (
    select
        1 as check_order, 'Answered conversations with no agent id' as check_name,
        answered_without_agent as problem_count, conversation_count as checked_count, 'warning' as kind,
        'The first agent reply has no author id, so per-agent numbers miss them.' as explanation
    from conversation_checks
    union all
    select 2, 'Unanswered conversations (no agent id by nature)', unanswered, conversation_count, 'info',
        'No agent replied (yet); they count as SLA breaches once past their target.'
    from conversation_checks
    union all
    select 3, 'Messages with empty text', empty_text, message_count, 'warning',
        'Nothing to score: their sentiment is neutral by default.'
    from message_checks
    union all
    select 4, 'Conversations with no customer id', without_customer_id, conversation_count, 'warning',
        'Cannot be linked to a customer, so churn after contact cannot be measured for them.'
    from conversation_checks
    union all
    select 5, 'Conversation customers without a customers row', m.without_customer_row, k.customer_count, 'warning',
        'Customer ids on conversations that are missing from the customers table.'
    from missing_customers as m
    cross join customer_checks as k
    union all
    select 6, 'Customers without customers-file details', without_details, customer_count, 'info',
        'Known only from their messages (no segment, plan, customer_since or churn date): churn reads as retained.'
    from customer_checks
    union all
    select 7, 'Conversations closed before they started', closed_before_start, conversation_count, 'warning',
        'closed_at is earlier than the first customer message: resolution times are wrong for them.'
    from conversation_checks
    union all
    select 8, 'Incidents starting after the data end', after_data_end, incident_count, 'warning',
        'Incident started_at later than the newest message: a future date or a time-zone problem.'
    from incident_checks
    union all
    select 9, 'Customers joining after the data end', since_after_data_end, customer_count, 'warning',
        'customer_since is later than the newest message.'
    from customer_checks
    union all
    select 10, 'Messages sent after the last import ran', sent_after_import, message_count, 'warning',
        'Timestamps in the future when they were imported: a clock or time-zone problem.'
    from message_checks
    union all
    select 20 + row_number() over (order by reason), 'Skipped at import: ' || reason, skipped_count, null, 'info',
        'Rows the importers left out, summed over every import (import_log).'
    from skips
),

final as (
    select
        check_name,
        case when kind = 'warning' and problem_count > 0 then 'warning' when kind = 'warning' then 'ok' else 'info' end
            as status,
        problem_count,
        checked_count,
        problem_count / nullif(checked_count, 0) as problem_share,
        explanation,
        check_order
    from checks
)

select * from final
order by check_order

-- The customers inside the shared filters, and whether they contacted care during the selected incident.
-- Params: $start_at, $end_at, $channels, $accounts, $priorities, $incident_id. Grain: customer.
with

scoped as (
    select *
    from scoped_conversations($start_at, $end_at, $channels, $accounts, $priorities)
    where customer_id is not null
),

final as (
    select
        customer_id,
        count(*) as conversation_count,
        count(*) filter (where incident_id = $incident_id) as incident_conversation_count,
        count(*) filter (where incident_id is null) as normal_conversation_count,
        count(*) filter (where incident_id = $incident_id) > 0 as is_incident_customer
    from scoped
    group by customer_id
)

select * from final
order by customer_id

-- Hourly counts behind the alert rules (alert_window_metrics per hour), over all conversations and normal time only.
-- Params: $start_at, $end_at. Grain: hour x scope ('all', 'normal'), hours with conversations only.
with

hour_conversations as (
    select
        date_trunc('hour', started_at) as hour_at,
        incident_id,
        is_negative_start,
        is_sla_due,
        is_sla_met,
        is_influencer
    from conversation_facts
    where started_at >= $start_at
        and started_at < $end_at
),

scoped as (
    select 'all' as scope, * from hour_conversations
    union all
    select 'normal' as scope, * from hour_conversations where incident_id is null
),

final as (
    select
        hour_at,
        scope,
        count(*) as conversation_count,
        count(*) filter (where is_negative_start) as negative_start_count,
        count(*) filter (where is_sla_due) as sla_due_count,
        count(*) filter (where is_sla_met) as sla_met_count,
        count(*) filter (where is_influencer) as influencer_conversation_count
    from scoped
    group by hour_at, scope
)

select * from final
order by hour_at, scope

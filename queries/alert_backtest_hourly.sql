-- Hourly counts behind the alert rules (alert_window_metrics per hour), over all conversations and normal time only,
-- from conversation_rollup. Params: $start_at, $end_at. Grain: hour x scope ('all', 'normal'), hours with
-- conversations only.
with

hour_rows as (
    select
        date_trunc('hour', quarter_at) as hour_at,
        *
    from range_rollup($start_at, $end_at)
),

scoped as (
    select 'all' as scope, * from hour_rows
    union all
    select 'normal' as scope, * from hour_rows where incident_id is null
),

final as (
    select
        hour_at,
        scope,
        sum(conversation_count)::bigint as conversation_count,
        sum(negative_start_count)::bigint as negative_start_count,
        sum(sla_due_count)::bigint as sla_due_count,
        sum(sla_met_count)::bigint as sla_met_count,
        sum(influencer_count)::bigint as influencer_conversation_count
    from scoped
    group by hour_at, scope
)

select * from final
order by hour_at, scope

-- Shares of the conversations starting in [start_at, end_at) for alert rules, over all of them and over those outside
-- every incident (normal time). Params: $start_at, $end_at. Grain: scope ('all', 'normal').
with

window_conversations as (
    select
        c.*,
        coalesce(k.is_media, false) as is_media
    from conversation_facts as c
    left join customers as k on c.customer_id = k.customer_id
    where c.started_at >= $start_at
        and c.started_at < $end_at
),

scoped as (
    select 'all' as scope, * from window_conversations
    union all
    select 'normal' as scope, * from window_conversations where incident_id is null
),

final as (
    select
        scope,
        count(*) as conversation_count,
        count(*) filter (where is_negative_start) as negative_start_count,
        count(*) filter (where is_negative_start) / nullif(count(*) filter (where has_start_sentiment), 0)
            as negative_start_share,
        count(*) filter (where is_sla_due) as sla_due_count,
        count(*) filter (where is_sla_met) as sla_met_count,
        count(*) filter (where is_sla_met) / nullif(count(*) filter (where is_sla_due), 0) as sla_attainment,
        count(*) filter (where is_influencer) as influencer_conversation_count,
        count(*) filter (where is_media) as media_conversation_count
    from scoped
    group by scope
)

select * from final
order by scope

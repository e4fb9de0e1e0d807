-- Hourly SLA attainment and negative-start share (by start hour), with normal time's negative-start share, for time to
-- recover. Params: $start_at, $end_at, $channels, $accounts, $priorities. Grain: hour with conversations.
with

scoped as (
    select *
    from scoped_conversations($start_at, $end_at, $channels, $accounts, $priorities)
),

normal as (
    select
        count(*) filter (where is_negative_start) / nullif(count(*) filter (where has_start_sentiment), 0)
            as normal_negative_start_share
    from scoped
    where incident_id is null
),

hourly as (
    select
        date_trunc('hour', started_at) as hour_at,
        count(*) as conversation_count,
        count(*) filter (where is_sla_due) as sla_due_count,
        count(*) filter (where is_sla_met) as sla_met_count,
        count(*) filter (where is_negative_start) as negative_start_count,
        count(*) filter (where has_start_sentiment) as start_sentiment_count
    from scoped
    group by 1
),

final as (
    select
        h.hour_at,
        h.conversation_count,
        h.sla_due_count,
        h.sla_met_count,
        h.sla_met_count / nullif(h.sla_due_count, 0) as sla_attainment,
        h.negative_start_count,
        h.negative_start_count / nullif(h.start_sentiment_count, 0) as negative_start_share,
        n.normal_negative_start_share
    from hourly as h
    cross join normal as n
)

select * from final
order by hour_at

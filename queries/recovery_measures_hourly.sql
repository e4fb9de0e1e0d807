-- Hourly SLA attainment and negative-start share (by start hour), with normal time's negative-start share, for time to
-- recover, counted from conversation_rollup. Params: $start_at, $end_at, $channels, $accounts, $priorities.
-- Grain: hour with conversations.
with

scoped as (
    select *
    from scoped_rollup($start_at, $end_at, $channels, $accounts, $priorities)
),

normal as (
    select sum(negative_start_count) / nullif(sum(start_sentiment_count), 0) as normal_negative_start_share
    from scoped
    where incident_id is null
),

hourly as (
    select
        date_trunc('hour', quarter_at) as hour_at,
        sum(conversation_count)::bigint as conversation_count,
        sum(sla_due_count)::bigint as sla_due_count,
        sum(sla_met_count)::bigint as sla_met_count,
        sum(negative_start_count)::bigint as negative_start_count,
        sum(start_sentiment_count) as start_sentiment_count
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

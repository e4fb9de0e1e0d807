-- SLA attainment per day (README): answered within target ÷ conversations whose deadline has passed. Reads
-- conversation_rollup. Params: $start_at, $end_at, $channels, $accounts, $priorities, $tz. Grain: day (local in time
-- zone $tz, by start).
with

daily as (
    select
        local_quarter_at::date as started_date,
        sum(conversation_count)::bigint as conversation_count,
        sum(sla_due_count)::bigint as sla_due_count,
        sum(sla_met_count)::bigint as sla_met_count,
        sum(breached_answered_count)::bigint as breached_answered_count,
        sum(breached_unanswered_count)::bigint as breached_unanswered_count,
        sum(pending_count)::bigint as pending_count
    from local_rollup($start_at, $end_at, $channels, $accounts, $priorities, $tz)
    group by started_date
),

final as (
    select
        *,
        sla_met_count / nullif(sla_due_count, 0) as sla_attainment
    from daily
)

select * from final
order by started_date

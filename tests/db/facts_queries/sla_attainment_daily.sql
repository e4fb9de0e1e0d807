-- SLA attainment per day (README): answered within target ÷ conversations whose deadline has passed.
-- Params: $start_at, $end_at, $channels, $accounts, $priorities, $tz. Grain: day (local in time zone $tz, by start).
with

daily as (
    select
        local_started_at::date as started_date,
        count(*) as conversation_count,
        count(*) filter (where is_sla_due) as sla_due_count,
        count(*) filter (where is_sla_met) as sla_met_count,
        count(*) filter (where sla_status = 'breached_answered') as breached_answered_count,
        count(*) filter (where sla_status = 'breached_unanswered') as breached_unanswered_count,
        count(*) filter (where sla_status = 'pending') as pending_count
    from local_conversations($start_at, $end_at, $channels, $accounts, $priorities, $tz)
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

-- At risk now: unanswered conversations due within $at_risk_minutes after the data end, beside all pending ones.
-- Params: $at_risk_minutes, $channels, $accounts, $priorities (the date range is ignored: about now). Grain: one row.
with

open_now as (
    select sla_due_at
    from conversation_facts
    where sla_status = 'pending'
        and list_contains($channels, channel)
        and list_contains($accounts, coalesce(account, '(none)'))
        and list_contains($priorities, priority)
),

final as (
    select
        data_end_at() as data_end_at,
        count(*) filter (where sla_due_at <= data_end_at() + to_minutes($at_risk_minutes)) as at_risk_count,
        count(*) as pending_count,
        min(sla_due_at) as next_due_at
    from open_now
)

select * from final

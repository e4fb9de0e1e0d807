-- At risk now: unanswered conversations due within 30 minutes after the data end, beside all pending ones.
-- Params: $channels, $accounts, $priorities (the date range is ignored: this is about now). Grain: one row.
with

open_now as (
    select
        data_end_at,
        sla_due_at
    from conversation_facts
    where sla_status = 'pending'
        and list_contains($channels, channel)
        and list_contains($accounts, coalesce(account, '(none)'))
        and list_contains($priorities, priority)
),

final as (
    select
        (select max(last_message_at) from conversations) as data_end_at,
        count(*) filter (where sla_due_at <= data_end_at + interval 30 minute) as at_risk_count,
        count(*) as pending_count,
        min(sla_due_at) as next_due_at
    from open_now
)

select * from final

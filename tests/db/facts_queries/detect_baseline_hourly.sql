-- Arrivals per hour over every channel, account and priority with the README's expected volume (volume_baseline
-- macro), for spike detection. Params: $start_at, $end_at (timestamps). Grain: hour.
with

everything as (
    select
        list(distinct channel) as channels,
        list(distinct coalesce(account, '(none)')) as accounts,
        list(distinct priority) as priorities
    from conversations
),

final as (
    select
        b.hour_at,
        b.conversation_count,
        b.expected_count,
        b.baseline_weeks,
        b.is_incident_hour
    from facts_volume_baseline(
        $start_at, $end_at,
        (select channels from everything), (select accounts from everything), (select priorities from everything)
    ) as b
)

select * from final
order by hour_at

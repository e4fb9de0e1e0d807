-- Arrivals per hour over every channel, account and priority with the README's expected volume (volume_baseline
-- macro: coverage-aware), from the first covered day (coverage_days) to the last start, for spike detection
-- (dashboard/alerts/detect.py). is_covered: the hour itself was collected. Params: none. Grain: hour.
with

everything as (
    select
        list(distinct channel) as channels,
        list(distinct coalesce(account, '(none)')) as accounts,
        list(distinct priority) as priorities
    from conversations
),

span as (
    select
        (select min(day) from coverage_days where status = 'covered')::timestamp as first_at,
        (select max(started_at) from conversations) + interval 1 second as end_at
),

final as (
    select
        b.hour_at,
        b.conversation_count,
        b.expected_count,
        b.baseline_weeks,
        b.is_covered
    from facts_volume_baseline(
        (select first_at from span), (select end_at from span),
        (select channels from everything), (select accounts from everything), (select priorities from everything)
    ) as b
)

select * from final
order by hour_at

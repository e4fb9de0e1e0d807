-- Recovery rate (negative start -> positive end) by first-response bucket, for the chosen incident and normal time.
-- Reads conversation_rollup's wait_ columns.
-- Params: $start_at, $end_at, $channels, $accounts, $priorities, $incident_id. Grain: period x response bucket.
with

counted as (
    select
        period,
        sum(wait_under15_conversation_count) as under_15_conversation_count,
        sum(wait_under15_negative_start_count) as under_15_negative_start_count,
        sum(wait_under15_recovery_base_count) as under_15_recovery_base_count,
        sum(wait_under15_recovered_count) as under_15_recovered_count,
        sum(wait_15to60_conversation_count) as from_15_conversation_count,
        sum(wait_15to60_negative_start_count) as from_15_negative_start_count,
        sum(wait_15to60_recovery_base_count) as from_15_recovery_base_count,
        sum(wait_15to60_recovered_count) as from_15_recovered_count,
        sum(wait_60to120_conversation_count) as from_60_conversation_count,
        sum(wait_60to120_negative_start_count) as from_60_negative_start_count,
        sum(wait_60to120_recovery_base_count) as from_60_recovery_base_count,
        sum(wait_60to120_recovered_count) as from_60_recovered_count,
        sum(wait_120to480_conversation_count) as from_120_conversation_count,
        sum(wait_120to480_negative_start_count) as from_120_negative_start_count,
        sum(wait_120to480_recovery_base_count) as from_120_recovery_base_count,
        sum(wait_120to480_recovered_count) as from_120_recovered_count,
        sum(wait_over480_conversation_count) as from_480_conversation_count,
        sum(wait_over480_negative_start_count) as from_480_negative_start_count,
        sum(wait_over480_recovery_base_count) as from_480_recovery_base_count,
        sum(wait_over480_recovered_count) as from_480_recovered_count,
        sum(wait_never_conversation_count) as never_conversation_count,
        sum(wait_never_negative_start_count) as never_negative_start_count,
        sum(wait_never_recovery_base_count) as never_recovery_base_count,
        sum(wait_never_recovered_count) as never_recovered_count
    from period_rollup($start_at, $end_at, $channels, $accounts, $priorities, $incident_id)
    group by period
),

buckets as (
    -- one row per period and bucket
    select
        period,
        '< 15 min' as response_bucket,
        1 as bucket_order,
        under_15_conversation_count as conversation_count,
        under_15_negative_start_count as negative_start_count,
        under_15_recovery_base_count as recovery_base_count,
        under_15_recovered_count as recovered_count
    from counted
    union all
    select
        period,
        '15-60 min',
        2,
        from_15_conversation_count,
        from_15_negative_start_count,
        from_15_recovery_base_count,
        from_15_recovered_count
    from counted
    union all
    select
        period,
        '1-2 h',
        3,
        from_60_conversation_count,
        from_60_negative_start_count,
        from_60_recovery_base_count,
        from_60_recovered_count
    from counted
    union all
    select
        period,
        '2-8 h',
        4,
        from_120_conversation_count,
        from_120_negative_start_count,
        from_120_recovery_base_count,
        from_120_recovered_count
    from counted
    union all
    select
        period,
        '> 8 h',
        5,
        from_480_conversation_count,
        from_480_negative_start_count,
        from_480_recovery_base_count,
        from_480_recovered_count
    from counted
    union all
    select
        period,
        'never',
        6,
        never_conversation_count,
        never_negative_start_count,
        never_recovery_base_count,
        never_recovered_count
    from counted
),

final as (
    select
        period,
        response_bucket,
        bucket_order,
        conversation_count::bigint as conversation_count,
        negative_start_count::bigint as negative_start_count,
        recovery_base_count::bigint as recovery_base_count,
        recovered_count::bigint as recovered_count,
        recovered_count / nullif(recovery_base_count, 0) as recovery_rate
    from buckets
)

select * exclude (bucket_order) from final
order by period, bucket_order

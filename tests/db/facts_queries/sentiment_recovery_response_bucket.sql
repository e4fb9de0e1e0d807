-- Recovery rate (negative start -> positive end) by first-response bucket, for the chosen incident and normal time.
-- Params: $start_at, $end_at, $channels, $accounts, $priorities, $incident_id. Grain: period x response bucket.
with

periods as (
    select
        period,
        case
            when first_response_minutes is null then 'never'
            when first_response_minutes < 15 then '< 15 min'
            when first_response_minutes < 60 then '15-60 min'
            when first_response_minutes < 120 then '1-2 h'
            when first_response_minutes < 480 then '2-8 h'
            else '> 8 h'
        end as response_bucket,
        is_negative_start,
        has_end_sentiment,
        is_recovered
    from period_conversations($start_at, $end_at, $channels, $accounts, $priorities, $incident_id)
),

buckets as (
    select *
    from (
        values ('< 15 min', 1), ('15-60 min', 2), ('1-2 h', 3), ('2-8 h', 4), ('> 8 h', 5), ('never', 6)
    ) as b (response_bucket, bucket_order)
),

final as (
    select
        p.period,
        b.response_bucket,
        b.bucket_order,
        count(c.period) as conversation_count,
        count(*) filter (where c.is_negative_start) as negative_start_count,
        count(*) filter (where c.is_negative_start and c.has_end_sentiment) as recovery_base_count,
        count(*) filter (where c.is_recovered) as recovered_count,
        count(*) filter (where c.is_recovered)
            / nullif(count(*) filter (where c.is_negative_start and c.has_end_sentiment), 0) as recovery_rate
    from (select distinct period from periods) as p
    cross join buckets as b
    left join periods as c on p.period = c.period and b.response_bucket = c.response_bucket
    group by all
)

select * exclude (bucket_order) from final
order by period, bucket_order

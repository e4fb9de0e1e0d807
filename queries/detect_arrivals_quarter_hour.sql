-- Conversation starts and negative starts per 15-minute bucket over the whole data range, empty buckets included:
-- the raw series spike detection scores (dashboard/alerts/detect.py). Params: none. Grain: 15-minute bucket.
with

bounds as (
    select
        date_trunc('day', min(started_at)) as first_bucket_at,
        time_bucket(interval 15 minute, max(started_at)) as last_bucket_at
    from conversations
),

buckets as (
    select unnest(generate_series(first_bucket_at, last_bucket_at, interval 15 minute)) as bucket_at
    from bounds
    where first_bucket_at is not null
),

arrivals as (
    select
        time_bucket(interval 15 minute, started_at) as bucket_at,
        count(*) as conversation_count,
        count(*) filter (where start_sentiment_label = 'negative') as negative_start_count
    from conversations
    group by 1
),

final as (
    select
        b.bucket_at,
        coalesce(a.conversation_count, 0) as conversation_count,
        coalesce(a.negative_start_count, 0) as negative_start_count
    from buckets as b
    left join arrivals as a on b.bucket_at = a.bucket_at
)

select * from final
order by bucket_at

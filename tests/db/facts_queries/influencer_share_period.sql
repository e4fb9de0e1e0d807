-- Negative-start share weighted by followers (sum of followers x negative / sum of followers), incident vs normal.
-- Params: $start_at, $end_at, $channels, $accounts, $priorities, $incident_id. Grain: period.
with

periods as (
    select
        c.period,
        c.is_negative_start,
        c.has_start_sentiment,
        c.is_influencer,
        coalesce(c.follower_count, 0) as follower_count
    from period_conversations($start_at, $end_at, $channels, $accounts, $priorities, $incident_id) as c
),

final as (
    select
        period,
        count(*) as conversation_count,
        count(*) filter (where is_negative_start) / nullif(count(*) filter (where has_start_sentiment), 0)
            as negative_start_share,
        count(*) filter (where follower_count > 0) as weighted_conversation_count,
        sum(follower_count)::bigint as follower_sum,
        coalesce(sum(follower_count) filter (where is_negative_start), 0)::bigint as negative_follower_sum,
        coalesce(sum(follower_count) filter (where is_negative_start), 0)
            / nullif(sum(follower_count), 0) as weighted_negative_start_share,
        count(*) filter (where is_influencer) as influencer_count,
        count(*) filter (where is_influencer and is_negative_start) as influencer_negative_count
    from periods
    group by period
)

select * from final
order by period

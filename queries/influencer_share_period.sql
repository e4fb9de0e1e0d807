-- Negative-start share weighted by followers (sum of followers x negative / sum of followers), incident vs normal.
-- Reads conversation_rollup. Params: $start_at, $end_at, $channels, $accounts, $priorities, $incident_id.
-- Grain: period.
with

counted as (
    select
        period,
        sum(conversation_count)::bigint as conversation_count,
        sum(negative_start_count) as negative_start_count,
        sum(start_sentiment_count) as start_sentiment_count,
        sum(followed_count)::bigint as weighted_conversation_count,
        sum(follower_sum)::bigint as follower_sum,
        sum(negative_follower_sum)::bigint as negative_follower_sum,
        sum(influencer_count)::bigint as influencer_count,
        sum(influencer_negative_count)::bigint as influencer_negative_count
    from period_rollup($start_at, $end_at, $channels, $accounts, $priorities, $incident_id)
    group by period
),

final as (
    select
        period,
        conversation_count,
        negative_start_count / nullif(start_sentiment_count, 0) as negative_start_share,
        weighted_conversation_count,
        follower_sum,
        negative_follower_sum,
        negative_follower_sum / nullif(follower_sum, 0) as weighted_negative_start_share,
        influencer_count,
        influencer_negative_count
    from counted
)

select * from final
order by period

-- Churn after contact (README: churned_at within 90 days after the start) by answered, ending and period.
-- Params: $start_at, $end_at, $channels, $accounts, $priorities, $incident_id. Grain: dimension x group.
with

scoped as (
    select
        c.*,
        k.churned_at > c.started_at and k.churned_at <= c.started_at + interval 90 day as is_churned_after,
        c.started_at + interval 90 day <= data_end_at() as is_window_complete,
        least(date_diff('second', c.started_at, data_end_at()) / (90 * 86400.0), 1) as window_observed_share
    from scoped_conversations($start_at, $end_at, $channels, $accounts, $priorities) as c
    inner join customers as k
        on c.customer_id = k.customer_id
),

grouped as (
    select
        'Response' as dimension,
        case when is_answered then 'answered' else 'unanswered' end as group_name,
        *
    from scoped
    union all
    select
        'Ending' as dimension,
        coalesce(end_sentiment_label, 'no end sentiment') as group_name,
        *
    from scoped
    union all
    select
        'Period' as dimension,
        case when incident_id = $incident_id then 'incident' else 'normal' end as group_name,
        *
    from scoped
    where incident_id = $incident_id
        or incident_id is null
),

final as (
    select
        dimension,
        group_name,
        count(*) as conversation_count,
        count(*) filter (where is_churned_after) as churned_count,
        count(*) filter (where is_churned_after) / count(*) as churn_rate,
        count(*) filter (where is_window_complete) as complete_window_count,
        avg(window_observed_share) as window_observed_share
    from grouped
    group by dimension, group_name
)

select * from final
order by dimension, group_name

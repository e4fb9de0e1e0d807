-- Churn within each of $churn_horizons days (30 and 90) of a contact during any incident vs normal time, by SLA met and
-- positive ending, over fully observed windows only. Params: $start_at, $end_at, $channels, $accounts, $priorities,
-- $churn_horizons (list of days). Grain: horizon x period x group.
with

horizons as (
    select unnest($churn_horizons) as horizon_days
),

contacts as (
    -- Contacts of customers still with us when the conversation started (a known customer row is required).
    select
        h.horizon_days,
        case when c.incident_id is null then 'normal' else 'incident' end as period,
        c.is_sla_met,
        c.is_sla_due,
        c.end_sentiment_label = 'positive' as is_positive_end,
        k.churned_at > c.started_at and k.churned_at <= c.started_at + to_days(h.horizon_days) as is_churned
    from scoped_conversations($start_at, $end_at, $channels, $accounts, $priorities) as c
    inner join customers as k
        on c.customer_id = k.customer_id
        and (k.churned_at is null or k.churned_at > c.started_at)
    cross join horizons as h
    where c.started_at + to_days(h.horizon_days) <= data_end_at()
),

grouped as (
    select horizon_days, period, 'all' as split, 'all contacts' as group_name, is_churned
    from contacts
    union all
    select
        horizon_days,
        period,
        'sla' as split,
        case when is_sla_met then 'answered within SLA' else 'not within SLA' end as group_name,
        is_churned
    from contacts
    where is_sla_due
    union all
    select
        horizon_days,
        period,
        'ending' as split,
        case when is_positive_end then 'ended positive' else 'did not end positive' end as group_name,
        is_churned
    from contacts
),

final as (
    select
        horizon_days,
        period,
        split,
        group_name,
        count(*) as contact_count,
        count(*) filter (where is_churned) as churned_count,
        count(*) filter (where is_churned) / count(*) as churn_rate
    from grouped
    group by all
)

select * from final
order by horizon_days desc, split, group_name, period

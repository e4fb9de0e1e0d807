-- Conversations by start and end sentiment per period; the end is 'no end sentiment' when the customer never wrote
-- after an agent reply. Reads conversation_rollup's flow cells. Params: $start_at, $end_at, filters, $incident_id.
-- Grain: period x start x end sentiment.
with

cells as (
    select
        period,
        sum(flow_negative_negative_count) as negative_negative,
        sum(flow_negative_neutral_count) as negative_neutral,
        sum(flow_negative_positive_count) as negative_positive,
        sum(flow_negative_none_count) as negative_none,
        sum(flow_neutral_negative_count) as neutral_negative,
        sum(flow_neutral_neutral_count) as neutral_neutral,
        sum(flow_neutral_positive_count) as neutral_positive,
        sum(flow_neutral_none_count) as neutral_none,
        sum(flow_positive_negative_count) as positive_negative,
        sum(flow_positive_neutral_count) as positive_neutral,
        sum(flow_positive_positive_count) as positive_positive,
        sum(flow_positive_none_count) as positive_none,
        sum(flow_unscored_negative_count) as unscored_negative,
        sum(flow_unscored_neutral_count) as unscored_neutral,
        sum(flow_unscored_positive_count) as unscored_positive,
        sum(flow_unscored_none_count) as unscored_none
    from period_rollup($start_at, $end_at, $channels, $accounts, $priorities, $incident_id)
    group by period
),

flows as (
    -- one row per start x end pair that occurs
    select period, 'negative' as start_label, 'negative' as end_label, negative_negative as n from cells
    union all select period, 'negative', 'neutral', negative_neutral from cells
    union all select period, 'negative', 'positive', negative_positive from cells
    union all select period, 'negative', 'no end sentiment', negative_none from cells
    union all select period, 'neutral', 'negative', neutral_negative from cells
    union all select period, 'neutral', 'neutral', neutral_neutral from cells
    union all select period, 'neutral', 'positive', neutral_positive from cells
    union all select period, 'neutral', 'no end sentiment', neutral_none from cells
    union all select period, 'positive', 'negative', positive_negative from cells
    union all select period, 'positive', 'neutral', positive_neutral from cells
    union all select period, 'positive', 'positive', positive_positive from cells
    union all select period, 'positive', 'no end sentiment', positive_none from cells
    union all select period, 'unscored', 'negative', unscored_negative from cells
    union all select period, 'unscored', 'neutral', unscored_neutral from cells
    union all select period, 'unscored', 'positive', unscored_positive from cells
    union all select period, 'unscored', 'no end sentiment', unscored_none from cells
),

final as (
    select
        period,
        start_label,
        end_label,
        n::bigint as conversation_count,
        n / sum(n) over (partition by period, start_label) as share_of_start
    from flows
    where n > 0
)

select * from final
order by period, start_label, end_label

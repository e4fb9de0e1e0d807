-- The conversation_facts rows (one per conversation, the derived measures every metric uses; README and
-- docs/data_model.md) of the conversations in table or view `source`: `conversations` for the whole table, or a view of
-- the conversations an import touched. The one definition the rebuild and the incremental update both read.
-- follower_count is the customer's (null when unknown), for follower-weighted shares. An SLA deadline after the data
-- end (data_end_at) is still pending, so a later data end can turn pending rows into breaches.
create or replace macro conversation_fact_rows(source) as table
with

timed as (
    select
        c.*,
        coalesce(p.first_response_target_minutes, 120) as first_response_target_minutes,
        c.started_at + to_minutes(coalesce(p.first_response_target_minutes, 120)) as sla_due_at,
        date_diff('second', c.started_at, c.first_response_at) / 60.0 as first_response_minutes,
        date_diff('second', c.started_at, coalesce(c.closed_at, c.last_message_at)) / 60.0 as resolution_minutes
    from query_table(source) as c
    left join sla_policies as p
        on c.channel = p.channel
        and c.priority = p.priority
),

followed as (
    select
        t.*,
        k.follower_count
    from timed as t
    left join customers as k on t.customer_id = k.customer_id
),

data_end as (
    select data_end_at() as data_end_at
)

select
    f.*,
    case when f.incident_id is null then 'normal' else 'incident' end as period,
    f.first_response_at is not null as is_answered,
    case
        when f.first_response_at <= f.sla_due_at then 'met'
        when f.first_response_at is not null then 'breached_answered'
        when f.sla_due_at <= d.data_end_at then 'breached_unanswered'
        else 'pending'
    end as sla_status,
    f.first_response_at <= f.sla_due_at as is_sla_met,
    f.first_response_at is not null or f.sla_due_at <= d.data_end_at as is_sla_due,
    f.start_sentiment_label = 'negative' as is_negative_start,
    -- false when unscored or started outside the file: the base of start-sentiment shares
    f.start_sentiment_label is not null as has_start_sentiment,
    f.end_sentiment_label is not null as has_end_sentiment,
    f.start_sentiment_label = 'negative' and f.end_sentiment_label = 'positive' as is_recovered,
    f.start_sentiment_label = 'neutral' and f.end_sentiment_label = 'positive' as is_neutral_to_positive
from followed as f
cross join data_end as d

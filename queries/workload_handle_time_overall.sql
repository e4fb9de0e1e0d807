-- Handling time for staffing, over every agent reply (all channels) in the range's last 28 days: median minutes
-- between an agent's consecutive replies (over 60 = a break; replies without a per-agent id have no gap) x replies per
-- answered conversation. Params: $start_at, $end_at, $channels, $accounts, $priorities. Grain: one row.
with

window_start as (
    select greatest($start_at::timestamp, least($end_at::timestamp, max(last_message_at)) - interval 28 day) as since
    from conversations
),

gaps as (
    select
        case when author_id is not null then
            date_diff('second', lag(sent_at) over (partition by author_id order by sent_at), sent_at) / 60.0
        end as gap_minutes
    from messages
    where author_type = 'agent'
        and sent_at >= (select since from window_start)
        and sent_at < $end_at
),

replies as (
    select
        median(gap_minutes) filter (where gap_minutes <= 60) as reply_gap_minutes,
        count(*) filter (where gap_minutes <= 60) as reply_gap_count,
        count(*) as agent_reply_count
    from gaps
),

answered as (
    select count(*) as answered_count
    from conversations
    where first_response_at >= (select since from window_start)
        and first_response_at < $end_at
),

-- the first-response target most conversations in the filters carry (sla_policies; 120 minutes by default)
target as (
    select mode(first_response_target_minutes) as first_response_target_minutes
    from scoped_conversations((select since from window_start), $end_at, $channels, $accounts, $priorities)
),

final as (
    select
        r.reply_gap_minutes,
        r.reply_gap_count,
        r.agent_reply_count,
        a.answered_count,
        r.agent_reply_count / nullif(a.answered_count, 0) as replies_per_conversation,
        r.reply_gap_minutes * r.agent_reply_count / nullif(a.answered_count, 0) as handle_minutes,
        t.first_response_target_minutes
    from replies as r, answered as a, target as t
)

select * from final

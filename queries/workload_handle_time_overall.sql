-- Handling-time assumption for staffing, over every agent reply in the date range (all channels): median minutes
-- between an agent's consecutive replies (over 60 = a break) x agent replies per answered conversation. Grain: one row.
with

gaps as (
    select date_diff('second', lag(sent_at) over (partition by author_id order by sent_at), sent_at) / 60.0
        as gap_minutes
    from messages
    where author_type = 'agent'
        and sent_at >= $start_at
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
    where first_response_at >= $start_at
        and first_response_at < $end_at
),

-- the first-response target most conversations in the filters carry (sla_policies; 120 minutes by default)
target as (
    select mode(first_response_target_minutes) as first_response_target_minutes
    from scoped_conversations($start_at, $end_at, $channels, $accounts, $priorities)
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

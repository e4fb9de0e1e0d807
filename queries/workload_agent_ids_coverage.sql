-- How far the data names the agents who answer: conversations first-answered in the filters, how many of those first
-- replies carry a per-agent id (agent_id), and how many distinct agents. Params: $start_at, $end_at, $channels,
-- $accounts, $priorities. Grain: one row.
with

answered as (
    select agent_id
    from scoped_conversations($start_at, $end_at, $channels, $accounts, $priorities)
    where first_response_at is not null
),

final as (
    select
        count(*) as answered_count,
        count(agent_id) as identified_answer_count,
        count(agent_id) / nullif(count(*), 0) as identified_answer_share,
        count(distinct agent_id) as agent_count
    from answered
)

select * from final

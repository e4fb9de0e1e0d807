-- Care workload each hour: arrivals, the open backlog at the top of the hour, conversations first answered and the
-- distinct agents (agent_id) answering them. Params: $start_at, $end_at, $channels, $accounts, $priorities. Grain: hour.
with

hours as (
    select unnest(generate_series(
        date_trunc('hour', $start_at::timestamp) - interval 1 day,
        least(
            date_trunc('hour', $end_at::timestamp - interval 1 second),
            (select date_trunc('hour', max(last_message_at)) from conversations)
        ),
        interval 1 hour
    )) as hour_at
),

-- a day earlier, so conversations still waiting when the range opens are in the backlog
scoped as materialized (
    select
        conversation_id,
        started_at,
        first_response_at,
        agent_id,
        -- waiting ends at the first reply; after 24 hours without one a conversation counts as abandoned
        least(coalesce(first_response_at, started_at + interval 1 day), started_at + interval 1 day) as waited_until
    from scoped_conversations($start_at::timestamp - interval 1 day, $end_at, $channels, $accounts, $priorities)
),

-- open at hour mark h when started_at < h < waited_until: joins at the next mark, leaves at the mark on/after the end
backlog_changes as (
    select date_trunc('hour', started_at) + interval 1 hour as hour_at, count(*) as change
    from scoped
    group by 1
    union all
    select date_trunc('hour', waited_until - interval 1 microsecond) + interval 1 hour as hour_at, -count(*) as change
    from scoped
    group by 1
),

backlog as (
    select
        h.hour_at,
        sum(coalesce(c.change, 0)) over (order by h.hour_at rows between unbounded preceding and current row)
            as open_backlog_count
    from hours as h
    left join (select hour_at, sum(change) as change from backlog_changes group by 1) as c
        on h.hour_at = c.hour_at
),

arrivals as (
    select date_trunc('hour', started_at) as hour_at, count(*) as arrival_count
    from scoped
    where started_at >= $start_at
    group by 1
),

answers as (
    select
        date_trunc('hour', first_response_at) as hour_at,
        count(*) as answered_count,
        count(distinct agent_id) as answering_agent_count
    from scoped
    where first_response_at >= $start_at
        and first_response_at < $end_at
    group by 1
),

final as (
    select
        b.hour_at,
        coalesce(a.arrival_count, 0) as arrival_count,
        b.open_backlog_count,
        coalesce(w.answered_count, 0) as answered_count,
        coalesce(w.answering_agent_count, 0) as answering_agent_count,
        w.answered_count / nullif(w.answering_agent_count, 0) as answered_per_agent
    from backlog as b
    left join arrivals as a on b.hour_at = a.hour_at
    left join answers as w on b.hour_at = w.hour_at
    where b.hour_at >= $start_at
)

select * from final
order by hour_at

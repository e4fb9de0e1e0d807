-- Care workload each local hour (time zone $tz): arrivals, the open backlog at the top of the hour, conversations first
-- answered, those whose first reply names its agent (agent_id; twcs brands that never sign have none) and the
-- distinct agents answering them. Times are counted per UTC quarter-hour, then placed on the local clock (tz_offsets),
-- which is exact in every zone.
-- Params: $start_at, $end_at, $channels, $accounts, $priorities, $tz. Grain: local hour.
with

quarters as (
    -- UTC quarter-hours from a day before the range to a day after it, each with its local clock hour
    select
        quarter_at,
        local_hour_at as hour_at
    from tz_offsets($tz, $start_at::timestamp - interval 1 day, $end_at::timestamp + interval 1 day)
),

hours as (
    select distinct hour_at
    from quarters
    where quarter_at <= least(
        $end_at::timestamp - interval 1 second, (select max(last_message_at) from conversations)
    )
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
quarter_changes as (
    select time_bucket(interval 15 minute, started_at) as quarter_at, count(*) as change
    from scoped
    group by 1
    union all
    select time_bucket(interval 15 minute, waited_until - interval 1 microsecond) as quarter_at, -count(*) as change
    from scoped
    group by 1
),

backlog_changes as (
    select q.hour_at + interval 1 hour as hour_at, sum(c.change) as change
    from quarter_changes as c
    inner join quarters as q on c.quarter_at = q.quarter_at
    group by 1
),

backlog as (
    select
        h.hour_at,
        sum(coalesce(c.change, 0)) over (order by h.hour_at rows between unbounded preceding and current row)
            as open_backlog_count
    from hours as h
    left join backlog_changes as c on h.hour_at = c.hour_at
),

arrivals as (
    select q.hour_at, sum(a.arrival_count) as arrival_count
    from (
        select time_bucket(interval 15 minute, started_at) as quarter_at, count(*) as arrival_count
        from scoped
        where started_at >= $start_at
        group by 1
    ) as a
    inner join quarters as q on a.quarter_at = q.quarter_at
    group by 1
),

answers as (
    select
        q.hour_at,
        sum(a.answered_count) as answered_count,
        sum(a.answered_count) filter (where a.agent_id is not null) as identified_answer_count,
        count(distinct a.agent_id) as answering_agent_count
    from (
        select time_bucket(interval 15 minute, first_response_at) as quarter_at, agent_id, count(*) as answered_count
        from scoped
        where first_response_at >= $start_at
            and first_response_at < $end_at
        group by all
    ) as a
    inner join quarters as q on a.quarter_at = q.quarter_at
    group by 1
),

final as (
    select
        b.hour_at,
        coalesce(a.arrival_count, 0) as arrival_count,
        b.open_backlog_count,
        coalesce(w.answered_count, 0) as answered_count,
        coalesce(w.identified_answer_count, 0) as identified_answer_count,
        coalesce(w.answering_agent_count, 0) as answering_agent_count,
        w.identified_answer_count / nullif(w.answering_agent_count, 0) as answered_per_agent
    from backlog as b
    left join arrivals as a on b.hour_at = a.hour_at
    left join answers as w on b.hour_at = w.hour_at
    where b.hour_at >= to_local($start_at, $tz)
)

select * from final
order by hour_at

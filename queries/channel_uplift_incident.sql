-- Each channel's actual versus expected arrivals over one incident's window (PRODUCT.md §3), the channel split of
-- volume_uplift_incident: expected is the mean of the same hour of the week over the previous four weeks, leaving out
-- incident hours and hours before the data starts, pro rata at the window's edges. Params: $channels, $accounts,
-- $priorities, $incident_id. Grain: channel.
with

incident as (
    select started_at, ended_at
    from incidents
    where incident_id = $incident_id
),

window_hours as (
    select
        h.hour_at,
        date_diff('second', greatest(h.hour_at, i.started_at), least(h.hour_at + interval 1 hour, i.ended_at))
            / 3600.0 as overlap
    from incident as i
    cross join unnest(generate_series(date_trunc('hour', i.started_at), i.ended_at, interval 1 hour)) as h(hour_at)
),

past_hours as (
    -- The same hour 1-4 weeks earlier, when it holds data and overlaps no incident.
    select
        w.hour_at,
        w.overlap,
        w.hour_at - to_days(7 * k.weeks::integer) as past_hour_at
    from window_hours as w
    cross join range(1, 5) as k(weeks)
),

usable_hours as (
    select
        p.*,
        count(*) over (partition by p.hour_at) as baseline_weeks
    from past_hours as p
    where p.past_hour_at >= (select date_trunc('hour', min(started_at)) from conversations)
        and not exists (
            select 1 from incidents as i
            where i.started_at < p.past_hour_at + interval 1 hour and i.ended_at >= p.past_hour_at
        )
),

past_arrivals as (
    select
        channel,
        date_trunc('hour', started_at) as past_hour_at,
        count(*) as conversation_count
    from scoped_conversations(
        (select started_at - interval 28 day from incident), (select ended_at from incident),
        $channels, $accounts, $priorities
    )
    group by all
),

expected as (
    select
        a.channel,
        sum(u.overlap * a.conversation_count / u.baseline_weeks) as expected_count
    from usable_hours as u
    inner join past_arrivals as a on u.past_hour_at = a.past_hour_at
    group by a.channel
),

actual as (
    select
        c.channel,
        count(*) as actual_count
    from conversation_facts as c
    cross join incident as i
    where c.started_at between i.started_at and i.ended_at
        and list_contains($channels, c.channel)
        and list_contains($accounts, coalesce(c.account, '(none)'))
        and list_contains($priorities, c.priority)
    group by c.channel
),

final as (
    select
        ch.channel,
        coalesce(a.actual_count, 0) as actual_count,
        -- A channel with no arrivals in the baseline weeks expects zero (unless there is no baseline at all).
        coalesce(e.expected_count, case when exists (select 1 from usable_hours) then 0 end) as expected_count,
        coalesce(a.actual_count, 0) / nullif(e.expected_count, 0) - 1 as volume_uplift
    from unnest($channels) as ch(channel)
    left join actual as a on ch.channel = a.channel
    left join expected as e on ch.channel = e.channel
    where exists (select 1 from incident)
)

select * from final
order by channel

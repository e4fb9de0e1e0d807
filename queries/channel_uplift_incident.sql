-- Each channel's actual versus expected arrivals over one incident's window (README), the channel split of
-- volume_uplift_incident: expected from the incident_baseline_lags macro (the mean of the same hour of the week over
-- the previous four weeks' covered hours, leaving out incident hours, pro rata at the window's edges; null when the
-- window has not enough history). Params: $channels, $accounts, $priorities, $incident_id. Grain: channel.
with

incident as (
    select started_at, ended_at
    from incidents
    where incident_id = $incident_id
),

lags as (
    select *
    from incident_baseline_lags()
    where incident_id = $incident_id
        and has_history
),

past_arrivals as (
    select
        channel,
        date_trunc('hour', started_at) as lag_at,
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
        sum(l.hour_fraction * a.conversation_count / l.baseline_weeks) as expected_count
    from lags as l
    inner join past_arrivals as a on l.lag_at = a.lag_at
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
        -- A channel with no arrivals in the baseline weeks expects zero (unless the window has not enough history).
        coalesce(e.expected_count, case when exists (select 1 from lags) then 0 end) as expected_count,
        coalesce(a.actual_count, 0) / nullif(e.expected_count, 0) - 1 as volume_uplift
    from unnest($channels) as ch(channel)
    left join actual as a on ch.channel = a.channel
    left join expected as e on ch.channel = e.channel
    where exists (select 1 from incident)
)

select * from final
order by channel

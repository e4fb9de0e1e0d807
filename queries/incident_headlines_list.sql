-- Every incident (recorded or detected) in the dates: headline numbers by window, overlaps of the other source, owned
-- conversations, the incident whose report it opens. Params: $start_at, $end_at, filters. Grain: incident.
with

chosen as (
    select *
    from incidents
    where started_at < $end_at
        and ended_at >= $start_at
),

-- Expected volume as in the volume_baseline macro (PRODUCT.md §3), computed only for the incidents' hours and joined
-- on exact weekly lags, which is many times faster than the macro over the whole range.
incident_hours as (
    select
        i.incident_id,
        h.hour_at,
        date_diff('second', greatest(h.hour_at, i.started_at), least(h.hour_at + interval 1 hour, i.ended_at))
            / 3600.0 as hour_fraction
    from chosen as i,
        unnest(generate_series(date_trunc('hour', i.started_at), i.ended_at, interval 1 hour)) as h(hour_at)
    where h.hour_at < i.ended_at
        or i.started_at = i.ended_at
),

arrivals as (
    select date_trunc('hour', started_at) as hour_at, count(*) as conversation_count
    from conversation_facts
    where list_contains($channels, channel)
        and list_contains($accounts, coalesce(account, '(none)'))
        and list_contains($priorities, priority)
    group by 1
),

lags as (
    select
        h.incident_id,
        h.hour_at,
        h.hour_fraction,
        h.hour_at - to_days(7 * w.week) as lag_at
    from incident_hours as h,
        unnest([1, 2, 3, 4]) as w(week)
),

usable_lags as (
    select l.*, coalesce(a.conversation_count, 0) as conversation_count
    from lags as l
    left join arrivals as a on l.lag_at = a.hour_at
    where l.lag_at >= (select date_trunc('hour', min(started_at)) from conversations)
        and not exists (
            select 1 from incidents as x
            where x.started_at < l.lag_at + interval 1 hour and x.ended_at >= l.lag_at
        )
),

expected as (
    select incident_id, sum(hour_fraction * expected_count) as expected_count
    from (
        select incident_id, hour_at, any_value(hour_fraction) as hour_fraction, avg(conversation_count) as expected_count
        from usable_lags
        group by incident_id, hour_at
    )
    group by incident_id
),

measured as (
    select
        i.incident_id,
        count(c.conversation_id) as conversation_count,
        count(c.conversation_id) filter (where c.incident_id = i.incident_id) as owned_count,
        count(c.conversation_id) filter (where c.is_negative_start)
            / nullif(count(c.conversation_id), 0) as negative_start_share,
        count(c.conversation_id) filter (where c.is_sla_met)
            / nullif(count(c.conversation_id) filter (where c.is_sla_due), 0) as sla_attainment
    from chosen as i
    left join conversation_facts as c
        on c.started_at between i.started_at and i.ended_at
        and list_contains($channels, c.channel)
        and list_contains($accounts, coalesce(c.account, '(none)'))
        and list_contains($priorities, c.priority)
    group by i.incident_id
),

overlapping as (
    select
        i.incident_id,
        string_agg(o.incident_id, ', ' order by o.started_at) as matched_incident_ids,
        arg_max(o.incident_id, least(o.ended_at, i.ended_at) - greatest(o.started_at, i.started_at))
            filter (where o.source = 'recorded') as best_recorded_id
    from chosen as i
    inner join incidents as o
        on o.source <> i.source
        and o.started_at < i.ended_at
        and o.ended_at > i.started_at
    group by i.incident_id
),

final as (
    select
        i.incident_id,
        i.title,
        i.source,
        i.severity,
        i.started_at,
        i.ended_at,
        date_diff('minute', i.started_at, i.ended_at) as duration_minutes,
        o.matched_incident_ids,
        m.conversation_count,
        m.owned_count,
        -- the incident whose report this row opens: itself, or for a detected window owning no conversations (recorded
        -- incidents exist) the recorded incident it overlaps most
        case
            when m.owned_count > 0 or i.source = 'recorded' then i.incident_id
            else o.best_recorded_id
        end as report_incident_id,
        e.expected_count,
        m.conversation_count / nullif(e.expected_count, 0) - 1 as volume_uplift,
        m.negative_start_share,
        m.sla_attainment
    from chosen as i
    inner join measured as m on i.incident_id = m.incident_id
    left join expected as e on i.incident_id = e.incident_id
    left join overlapping as o on i.incident_id = o.incident_id
)

select * from final
order by started_at desc, source desc

-- Every incident (recorded or detected) in the dates: headline numbers by window, overlaps of the other source, owned
-- conversations, the incident whose report it opens. Params: $start_at, $end_at, filters. Grain: incident.
with

chosen as (
    select *
    from incidents
    where started_at < $end_at
        and ended_at >= $start_at
),

arrivals as (
    select date_trunc('hour', quarter_at) as hour_at, sum(conversation_count)::bigint as conversation_count
    from conversation_rollup
    where list_contains($channels, channel)
        and list_contains($accounts, coalesce(account, '(none)'))
        and list_contains($priorities, priority)
    group by 1
),

expected as (
    -- The incident_baseline_lags macro's baseline, only for the incidents' hours: many times faster than the
    -- volume_baseline macro over the whole range.
    select
        l.incident_id,
        -- null when the window has not enough covered history
        case when bool_and(l.has_history) then
            sum(l.hour_fraction * coalesce(a.conversation_count, 0) / l.baseline_weeks)
        end as expected_count
    from incident_baseline_lags() as l
    inner join chosen as i on l.incident_id = i.incident_id
    left join arrivals as a on l.lag_at = a.hour_at
    group by l.incident_id
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

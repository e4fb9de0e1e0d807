-- Like-for-like KPIs: the chosen incident against all normal time and against the same hours of the week in normal
-- weeks. Hours of the week are local clock hours in time zone $tz, so a night-time incident is compared with local
-- nights.
-- Params: $start_at, $end_at, $channels, $accounts, $priorities, $incident_id, $tz. Grain: comparison (always 3 rows).
with

incident as (
    select
        started_at,
        ended_at,
        to_local(started_at, $tz) as local_started_at,
        to_local(ended_at, $tz) as local_ended_at
    from incidents
    where incident_id = $incident_id
),

bounds as (
    -- The filtered range, cut to the data: hours outside it hold no conversations and are not counted.
    select
        greatest($start_at::timestamp, (select min(started_at) from conversations)) as range_start_at,
        least($end_at::timestamp, (select max(last_message_at) from conversations)) as range_end_at
),

slots as (
    -- The incident window's hour-of-week slots: every clock hour the window overlaps.
    select distinct isodow(slot_hour) * 24 + hour(slot_hour) as hour_of_week
    from (
        select unnest(generate_series(
            date_trunc('hour', local_started_at), local_ended_at - interval 1 second, interval 1 hour
        )) as slot_hour
        from incident
    )
),

local_incidents as (
    -- Every incident's window on the local clock.
    select to_local(started_at, $tz) as started_at, to_local(ended_at, $tz) as ended_at
    from incidents
),

covered as (
    select hour_at
    from covered_hours((select range_start_at from bounds), (select range_end_at from bounds))
),

normal_hours as (
    -- Covered local clock hours in the range (collected: not a gap or stray day) that overlap no incident (recorded
    -- or detected): an hour without collection is missing, not a quiet hour.
    select
        h.hour_at,
        isodow(h.hour_at) * 24 + hour(h.hour_at) in (select hour_of_week from slots) as is_same_slot
    from (
        select z.local_hour_at as hour_at
        from bounds as b, tz_offsets($tz, b.range_start_at, b.range_end_at - interval 1 second) as z
        left join covered as c on date_trunc('hour', z.quarter_at) = c.hour_at
        group by z.local_hour_at
        having bool_and(c.hour_at is not null)
    ) as h
    where not exists (
        select 1 from local_incidents as i
        where i.started_at < h.hour_at + interval 1 hour and i.ended_at > h.hour_at
    )
),

scoped as materialized (
    -- One pass over the conversations (with their local start hour); the three samples below read it.
    select
        conversation_id,
        incident_id,
        is_negative_start,
        has_end_sentiment,
        is_recovered,
        is_sla_due,
        is_sla_met,
        first_response_minutes,
        date_trunc('hour', local_started_at) as hour_at
    from local_conversations($start_at, $end_at, $channels, $accounts, $priorities, $tz)
),

samples as (
    select 'incident' as comparison, s.*
    from scoped as s
    where s.incident_id = $incident_id
    union all
    select 'normal_all' as comparison, s.*
    from scoped as s
    inner join normal_hours as n on s.hour_at = n.hour_at
    where s.incident_id is null
    union all
    select 'normal_same_hours' as comparison, s.*
    from scoped as s
    inner join normal_hours as n on s.hour_at = n.hour_at and n.is_same_slot
    where s.incident_id is null
),

hour_counts as (
    select
        'incident' as comparison,
        coalesce(max(date_diff('second',
            greatest(i.started_at, b.range_start_at), least(i.ended_at, b.range_end_at)) / 3600.0), 0) as hour_count,
        null::bigint as week_count
    from incident as i, bounds as b
    union all
    select 'normal_all', count(*), count(distinct date_trunc('week', hour_at))
    from normal_hours
    union all
    select 'normal_same_hours', count(*), count(distinct date_trunc('week', hour_at))
    from normal_hours
    where is_same_slot
),

measured as (
    select
        h.comparison,
        count(s.conversation_id) as conversation_count,
        any_value(h.hour_count) as hour_count,
        any_value(h.week_count) as week_count,
        count(*) filter (where s.is_negative_start) as negative_start_count,
        count(*) filter (where s.is_negative_start and s.has_end_sentiment) as recovery_base_count,
        count(*) filter (where s.is_recovered) as recovered_count,
        count(*) filter (where s.is_sla_due) as sla_due_count,
        count(*) filter (where s.is_sla_met) as sla_met_count,
        count(s.first_response_minutes) as answered_count,
        median(s.first_response_minutes) as median_first_response_minutes
    from hour_counts as h
    left join samples as s on h.comparison = s.comparison
    group by h.comparison
),

final as (
    select
        comparison,
        conversation_count,
        hour_count,
        week_count,
        (select count(*) from slots) as slot_count,
        conversation_count / nullif(hour_count, 0) as conversations_per_hour,
        negative_start_count,
        negative_start_count / nullif(conversation_count, 0) as negative_start_share,
        recovery_base_count,
        recovered_count,
        recovered_count / nullif(recovery_base_count, 0) as recovery_rate,
        sla_due_count,
        sla_met_count,
        sla_met_count / nullif(sla_due_count, 0) as sla_attainment,
        answered_count,
        median_first_response_minutes
    from measured
)

select * from final
order by comparison

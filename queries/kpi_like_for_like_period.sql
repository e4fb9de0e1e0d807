-- Like-for-like KPIs: the chosen incident against all normal time and against the same hours of the week in normal
-- weeks. Hours of the week are local clock hours in time zone $tz, so a night-time incident is compared with local
-- nights. Counts read conversation_rollup; the incident's median first response is exact (its own conversations),
-- normal time's is read from first-response bins as period_response_quantiles does (approximate).
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
    -- One pass over conversation_rollup (with each quarter-hour's local hour); the three samples below read it.
    select
        *,
        date_trunc('hour', local_quarter_at) as hour_at
    from local_rollup($start_at, $end_at, $channels, $accounts, $priorities, $tz)
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
        coalesce(sum(s.conversation_count), 0)::bigint as conversation_count,
        any_value(h.hour_count) as hour_count,
        any_value(h.week_count) as week_count,
        coalesce(sum(s.negative_start_count), 0)::bigint as negative_start_count,
        coalesce(sum(s.recovery_base_count), 0)::bigint as recovery_base_count,
        coalesce(sum(s.recovered_count), 0)::bigint as recovered_count,
        coalesce(sum(s.sla_due_count), 0)::bigint as sla_due_count,
        coalesce(sum(s.sla_met_count), 0)::bigint as sla_met_count,
        coalesce(sum(s.answered_count), 0)::bigint as answered_count,
        sum(s.frt_m25) as frt_m25,
        sum(s.frt_m24) as frt_m24,
        sum(s.frt_m23) as frt_m23,
        sum(s.frt_m22) as frt_m22,
        sum(s.frt_m21) as frt_m21,
        sum(s.frt_m20) as frt_m20,
        sum(s.frt_m19) as frt_m19,
        sum(s.frt_m18) as frt_m18,
        sum(s.frt_m17) as frt_m17,
        sum(s.frt_m16) as frt_m16,
        sum(s.frt_m15) as frt_m15,
        sum(s.frt_m14) as frt_m14,
        sum(s.frt_m13) as frt_m13,
        sum(s.frt_m12) as frt_m12,
        sum(s.frt_m11) as frt_m11,
        sum(s.frt_m10) as frt_m10,
        sum(s.frt_m09) as frt_m09,
        sum(s.frt_m08) as frt_m08,
        sum(s.frt_m07) as frt_m07,
        sum(s.frt_m06) as frt_m06,
        sum(s.frt_m05) as frt_m05,
        sum(s.frt_m04) as frt_m04,
        sum(s.frt_m03) as frt_m03,
        sum(s.frt_m02) as frt_m02,
        sum(s.frt_m01) as frt_m01,
        sum(s.frt_p00) as frt_p00,
        sum(s.frt_p01) as frt_p01,
        sum(s.frt_p02) as frt_p02,
        sum(s.frt_p03) as frt_p03,
        sum(s.frt_p04) as frt_p04,
        sum(s.frt_p05) as frt_p05,
        sum(s.frt_p06) as frt_p06,
        sum(s.frt_p07) as frt_p07,
        sum(s.frt_p08) as frt_p08,
        sum(s.frt_p09) as frt_p09,
        sum(s.frt_p10) as frt_p10,
        sum(s.frt_p11) as frt_p11,
        sum(s.frt_p12) as frt_p12,
        sum(s.frt_p13) as frt_p13,
        sum(s.frt_p14) as frt_p14,
        sum(s.frt_p15) as frt_p15,
        sum(s.frt_p16) as frt_p16,
        sum(s.frt_p17) as frt_p17,
        sum(s.frt_p18) as frt_p18,
        sum(s.frt_p19) as frt_p19,
        sum(s.frt_p20) as frt_p20
    from hour_counts as h
    left join samples as s on h.comparison = s.comparison
    group by h.comparison
),

bins as (
    select
        comparison,
        (case when substr(bin_name, 5, 1) = 'm' then -1 else 1 end) * cast(substr(bin_name, 6) as integer) as bin,
        bin_count as answered_count
    from measured
    unpivot (bin_count for bin_name in (
        frt_m25,
        frt_m24,
        frt_m23,
        frt_m22,
        frt_m21,
        frt_m20,
        frt_m19,
        frt_m18,
        frt_m17,
        frt_m16,
        frt_m15,
        frt_m14,
        frt_m13,
        frt_m12,
        frt_m11,
        frt_m10,
        frt_m09,
        frt_m08,
        frt_m07,
        frt_m06,
        frt_m05,
        frt_m04,
        frt_m03,
        frt_m02,
        frt_m01,
        frt_p00,
        frt_p01,
        frt_p02,
        frt_p03,
        frt_p04,
        frt_p05,
        frt_p06,
        frt_p07,
        frt_p08,
        frt_p09,
        frt_p10,
        frt_p11,
        frt_p12,
        frt_p13,
        frt_p14,
        frt_p15,
        frt_p16,
        frt_p17,
        frt_p18,
        frt_p19,
        frt_p20
    ))
    where bin_count > 0
),

cumulated as (
    select
        comparison,
        bin,
        answered_count,
        sum(answered_count) over (partition by comparison order by bin rows between unbounded preceding and current row)
            - answered_count as before_count,
        sum(answered_count) over (partition by comparison) as answered_total
    from bins
),

ranks as (
    -- the median's two neighbouring order statistics (0-based ranks, as quantile_cont), with their weights
    select
        g.comparison,
        least(floor(0.5 * (g.answered_total - 1)) + r.step, g.answered_total - 1) as answer_rank,
        case
            when r.step = 0 then 1 - (0.5 * (g.answered_total - 1) - floor(0.5 * (g.answered_total - 1)))
            else 0.5 * (g.answered_total - 1) - floor(0.5 * (g.answered_total - 1))
        end as weight
    from (select distinct comparison, answered_total from cumulated) as g
    cross join (values (0), (1)) as r (step)
),

binned_medians as (
    -- each order statistic placed inside the bin holding its rank, evenly on a log scale
    select
        r.comparison,
        sum(r.weight * 120 * pow(
            10, (c.bin - 1 + (r.answer_rank - c.before_count + 0.5) / c.answered_count) / 10
        )) as median_first_response_minutes
    from ranks as r
    inner join cumulated as c
        on r.comparison = c.comparison
        and r.answer_rank >= c.before_count
        and r.answer_rank < c.before_count + c.answered_count
    group by r.comparison
),

incident_median as (
    select
        'incident' as comparison,
        median(first_response_minutes) as median_first_response_minutes
    from scoped_conversations(
        greatest($start_at::timestamp, (select started_at from incident)),
        least($end_at::timestamp, (select ended_at + interval 1 second from incident)),
        $channels, $accounts, $priorities
    )
    where incident_id = $incident_id
),

medians as (
    select * from binned_medians
    where comparison <> 'incident'
    union all
    select * from incident_median
),

final as (
    select
        m.comparison,
        m.conversation_count,
        m.hour_count,
        m.week_count,
        (select count(*) from slots) as slot_count,
        m.conversation_count / nullif(m.hour_count, 0) as conversations_per_hour,
        m.negative_start_count,
        m.negative_start_count / nullif(m.conversation_count, 0) as negative_start_share,
        m.recovery_base_count,
        m.recovered_count,
        m.recovered_count / nullif(m.recovery_base_count, 0) as recovery_rate,
        m.sla_due_count,
        m.sla_met_count,
        m.sla_met_count / nullif(m.sla_due_count, 0) as sla_attainment,
        m.answered_count,
        d.median_first_response_minutes
    from measured as m
    left join medians as d on m.comparison = d.comparison
)

select * from final
order by comparison

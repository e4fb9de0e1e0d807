-- Median and p90 first response (answered conversations) per period and channel, and per period over every channel
-- (channel null). The chosen incident's are exact, from its own conversations (its window only). Normal time's are
-- read from conversation_rollup's first-response bins (frt_ columns; bin k holds first responses in
-- (120 x 10^((k-1)/10), 120 x 10^(k/10)] minutes): each of quantile_cont's two neighbouring order statistics is placed
-- inside the bin holding its rank, as if the bin's values were spread evenly on a log scale. Approximate: within 1% of
-- the exact value for normal time on the 1M-conversation demo (README: Metric definitions).
create or replace macro period_response_quantiles(
    start_at, end_at, channels, accounts, priorities, chosen_incident_id
) as table
with

summed as (
    select
        'normal' as period,
        channel,
        sum(frt_m25) as frt_m25,
        sum(frt_m24) as frt_m24,
        sum(frt_m23) as frt_m23,
        sum(frt_m22) as frt_m22,
        sum(frt_m21) as frt_m21,
        sum(frt_m20) as frt_m20,
        sum(frt_m19) as frt_m19,
        sum(frt_m18) as frt_m18,
        sum(frt_m17) as frt_m17,
        sum(frt_m16) as frt_m16,
        sum(frt_m15) as frt_m15,
        sum(frt_m14) as frt_m14,
        sum(frt_m13) as frt_m13,
        sum(frt_m12) as frt_m12,
        sum(frt_m11) as frt_m11,
        sum(frt_m10) as frt_m10,
        sum(frt_m09) as frt_m09,
        sum(frt_m08) as frt_m08,
        sum(frt_m07) as frt_m07,
        sum(frt_m06) as frt_m06,
        sum(frt_m05) as frt_m05,
        sum(frt_m04) as frt_m04,
        sum(frt_m03) as frt_m03,
        sum(frt_m02) as frt_m02,
        sum(frt_m01) as frt_m01,
        sum(frt_p00) as frt_p00,
        sum(frt_p01) as frt_p01,
        sum(frt_p02) as frt_p02,
        sum(frt_p03) as frt_p03,
        sum(frt_p04) as frt_p04,
        sum(frt_p05) as frt_p05,
        sum(frt_p06) as frt_p06,
        sum(frt_p07) as frt_p07,
        sum(frt_p08) as frt_p08,
        sum(frt_p09) as frt_p09,
        sum(frt_p10) as frt_p10,
        sum(frt_p11) as frt_p11,
        sum(frt_p12) as frt_p12,
        sum(frt_p13) as frt_p13,
        sum(frt_p14) as frt_p14,
        sum(frt_p15) as frt_p15,
        sum(frt_p16) as frt_p16,
        sum(frt_p17) as frt_p17,
        sum(frt_p18) as frt_p18,
        sum(frt_p19) as frt_p19,
        sum(frt_p20) as frt_p20
    from scoped_rollup(start_at, end_at, channels, accounts, priorities)
    where incident_id is null
    group by grouping sets ((channel), ())
),

bins as (
    select *
    from summed
    unpivot (answered_count for bin_name in (
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
),

cumulated as (
    select
        period,
        channel,
        (case when substr(bin_name, 5, 1) = 'm' then -1 else 1 end) * cast(substr(bin_name, 6) as integer) as bin,
        answered_count,
        sum(answered_count) over (
            partition by period, channel
            order by (case when substr(bin_name, 5, 1) = 'm' then -1 else 1 end) * cast(substr(bin_name, 6) as integer)
            rows between unbounded preceding and current row
        ) - answered_count as before_count,
        sum(answered_count) over (partition by period, channel) as answered_total
    from bins
    where answered_count > 0
),

ranks as (
    -- quantile_cont's two neighbouring order statistics (0-based ranks) of each quantile, with their weights
    select
        g.period,
        g.channel,
        q.quantile,
        least(floor(q.quantile * (g.answered_total - 1)) + r.step, g.answered_total - 1) as answer_rank,
        case
            when r.step = 0 then 1 - (q.quantile * (g.answered_total - 1) - floor(q.quantile * (g.answered_total - 1)))
            else q.quantile * (g.answered_total - 1) - floor(q.quantile * (g.answered_total - 1))
        end as weight
    from (select distinct period, channel, answered_total from cumulated) as g
    cross join (values (0.5), (0.9)) as q (quantile)
    cross join (values (0), (1)) as r (step)
),

placed as (
    -- each order statistic placed inside the bin holding its rank, evenly on a log scale
    select
        r.period,
        r.channel,
        r.quantile,
        sum(r.weight * 120 * pow(
            10, (c.bin - 1 + (r.answer_rank - c.before_count + 0.5) / c.answered_count) / 10
        )) as minutes
    from ranks as r
    inner join cumulated as c
        on r.period = c.period
        and r.channel is not distinct from c.channel
        and r.answer_rank >= c.before_count
        and r.answer_rank < c.before_count + c.answered_count
    group by all
),

incident as (
    select
        'incident' as period,
        channel,
        median(first_response_minutes) as median_first_response_minutes,
        quantile_cont(first_response_minutes, 0.9) as p90_first_response_minutes
    from scoped_conversations(
        greatest(
            start_at::timestamp, (select i.started_at from incidents as i where i.incident_id = chosen_incident_id)
        ),
        least(
            end_at::timestamp,
            (select i.ended_at + interval 1 second from incidents as i where i.incident_id = chosen_incident_id)
        ),
        channels, accounts, priorities
    )
    where incident_id = chosen_incident_id
        and first_response_minutes is not null
    group by grouping sets ((channel), ())
    having count(*) > 0
)

select
    period,
    channel,
    max(minutes) filter (where quantile = 0.5) as median_first_response_minutes,
    max(minutes) filter (where quantile = 0.9) as p90_first_response_minutes
from placed
group by period, channel
union all
select * from incident

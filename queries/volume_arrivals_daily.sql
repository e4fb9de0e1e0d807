-- Conversations and messages per day over the filtered range, every day listed (empty days too), with each day's
-- collection status from coverage_days (covered, gap, stray, outside; expected volume and ratio for the whole data):
-- a gap is missing data, not an incident. A local day takes the status of the UTC day holding its noon. Counts read
-- conversation_rollup.
-- Params: $start_at, $end_at, $channels, $accounts, $priorities, $tz. Grain: day (local in time zone $tz, by start).
with

daily as (
    select
        local_quarter_at::date as started_date,
        sum(conversation_count)::bigint as conversation_count,
        sum(message_count) as message_count
    from local_rollup($start_at, $end_at, $channels, $accounts, $priorities, $tz)
    group by started_date
),

days as (
    -- Every day of the filtered range that lies within the data, so a day without conversations shows up as zero.
    select unnest(generate_series(
        greatest(to_local($start_at, $tz)::date, (select to_local(min(started_at), $tz) from conversations)::date),
        least(
            to_local($end_at::timestamp - interval 1 second, $tz)::date,
            (select to_local(max(started_at), $tz) from conversations)::date
        ),
        interval 1 day
    ))::date as started_date
),

filled as (
    select
        d.started_date,
        coalesce(v.conversation_count, 0) as conversation_count,
        coalesce(v.message_count, 0) as message_count
    from days as d
    left join daily as v on d.started_date = v.started_date
),

coverage as (
    select
        f.*,
        timezone('UTC', timezone($tz, f.started_date + interval 12 hour))::date as coverage_day
    from filled as f
),

final as (
    select
        c.started_date,
        c.conversation_count,
        c.message_count,
        coalesce(d.status, 'outside') as status,
        d.expected_count,
        d.arrival_ratio,
        coalesce(d.status = 'gap', false) as is_gap
    from coverage as c
    left join coverage_days as d on c.coverage_day = d.day
)

select * from final
order by started_date

-- The coverage_days table: where the data is dense. One row per UTC day from the first to the last conversation start,
-- rebuilt by dashboard/db/schema.py refresh_derived in the same transaction as every write from the small
-- conversation_starts_hourly table (so its cost does not grow with the number of conversations).
-- level is the arrival-weighted median day (the median, over conversations, of their start day's arrivals), so a few
-- stray rows on many near-empty days cannot pull it down. A day is low when its arrivals are under 10% of level and
-- level is at least 10 (fewer arrivals a day cannot tell a gap from chance, so sparse data counts as dense). Active
-- days joined across low stretches of at most 7 days form runs; the dense span is the run holding the most
-- conversations. The data's first and last day, usually partial, are active next to a dense day and never a gap.
-- Inside it a day's expected volume is the median day of the span within 7 days either side; a day with
-- under 10% of an expected volume of at least 10 is a collection gap. status: covered, gap (inside the span), stray
-- (outside it, with conversations) or outside (outside it, empty). Baselines use covered days only.
-- Params: none. Grain: UTC day.
create or replace table coverage_days as
with

arrivals as (
    select
        hour_at::date as day,
        sum(conversation_count)::bigint as arrival_count
    from conversation_starts_hourly
    group by 1
),

days as (
    select
        d.day::date as day,
        coalesce(a.arrival_count, 0) as arrival_count
    from (
        select unnest(generate_series(min(day), max(day), interval 1 day)) as day
        from arrivals
    ) as d
    left join arrivals as a on d.day::date = a.day
),

ranked as (
    select
        arrival_count,
        sum(arrival_count) over (order by arrival_count rows between unbounded preceding and current row)
            as running_count,
        sum(arrival_count) over () as total_count
    from arrivals
),

level as (
    -- The arrival-weighted median day: of the n conversations' start-day arrivals, the ceil(n / 2)-th smallest
    -- (what quantile_disc(arrivals, 0.5) over the conversations picks).
    select coalesce(min(arrival_count) filter (where running_count * 2 >= total_count), 0) as level_count
    from ranked
),

dense as (
    select
        d.*,
        l.level_count,
        not (l.level_count >= 10 and d.arrival_count < 0.1 * l.level_count) as is_dense,
        d.day in ((select min(day) from arrivals), (select max(day) from arrivals)) as is_data_edge
    from days as d
    cross join level as l
),

marked as (
    -- The data's first and last day are usually partial: next to a dense day they are active, whatever their volume.
    select
        *,
        is_dense
        or (is_data_edge and coalesce(lag(is_dense) over (order by day), false))
        or (is_data_edge and coalesce(lead(is_dense) over (order by day), false)) as is_active
    from dense
),

bridged as (
    -- A low day belongs to the surrounding run when the active days either side are at most 8 days apart.
    select
        *,
        is_active or date_diff(
            'day',
            max(case when is_active then day end) over (order by day rows between unbounded preceding and 1 preceding),
            min(case when is_active then day end) over (order by day rows between 1 following and unbounded following)
        ) <= 8 as is_in_run
    from marked
),

runs as (
    select
        *,
        sum(case when is_in_run then 0 else 1 end) over (order by day) as run_id
    from bridged
),

span as (
    -- The run with the most conversations (the earliest on a tie), from its first to its last active day.
    select
        min(day) filter (where is_active) as span_first_day,
        max(day) filter (where is_active) as span_last_day
    from runs
    where is_in_run
        and run_id = (
            select arg_max(run_id, run_total)
            from (
                select run_id, sum(arrival_count) * 100000 - run_id as run_total
                from runs
                where is_in_run
                group by run_id
            )
        )
),

expected as (
    -- Days are consecutive, so the days within 7 either side are a self-join (a windowed median is not portable).
    select
        r.day,
        r.arrival_count,
        r.level_count,
        r.day between s.span_first_day and s.span_last_day as is_in_span,
        r.is_data_edge,
        median(n.arrival_count) as expected_count
    from runs as r
    cross join span as s
    left join runs as n
        on abs(date_diff('day', r.day, n.day)) <= 7
        and n.day between s.span_first_day and s.span_last_day
    group by r.day, r.arrival_count, r.level_count, s.span_first_day, s.span_last_day, r.is_data_edge
),

final as (
    select
        day,
        arrival_count,
        case when is_in_span then expected_count end as expected_count,
        case when is_in_span then arrival_count / nullif(expected_count, 0) end as arrival_ratio,
        case
            when is_in_span and not is_data_edge and expected_count >= 10 and arrival_count < 0.1 * expected_count
                then 'gap'
            when is_in_span then 'covered'
            when arrival_count > 0 then 'stray'
            else 'outside'
        end as status,
        level_count
    from expected
)

select * from final
order by day

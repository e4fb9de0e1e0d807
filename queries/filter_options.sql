-- What the shared filters can choose from, the data's time range and its dense span (coverage_days): the default range.
-- Params: none. Grain: one row.
with

span as (
    select
        min(day) filter (where status in ('covered', 'gap')) as span_first_day,
        max(day) filter (where status in ('covered', 'gap')) as span_last_day,
        max(day) as last_day,
        coalesce(sum(arrival_count) filter (where status = 'stray'), 0) as stray_count,
        count(*) filter (where status = 'stray') as stray_day_count
    from coverage_days
),

final as (
    select
        (select list(distinct channel order by channel) from conversations) as channels,
        (select list(distinct coalesce(account, '(none)') order by coalesce(account, '(none)')) from conversations)
            as accounts,
        (select list(distinct priority order by priority) from conversations) as priorities,
        (select min(started_at) from conversations) as first_started_at,
        (select max(last_message_at) from conversations) as data_end_at,
        s.span_first_day::timestamp as span_started_at,
        -- the span ends with the data when it reaches the last day, else at the end of its last day
        case
            when s.span_last_day = s.last_day then (select max(last_message_at) from conversations)
            else s.span_last_day + interval 1 day - interval 1 second
        end as span_end_at,
        s.stray_count,
        s.stray_day_count
    from span as s
)

select * from final

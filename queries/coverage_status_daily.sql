-- The days coverage_days marks as a collection gap or stray (outside the dense span, with conversations), for the Data
-- page's list, gap shading on time charts and the Overview summary. Params: none. Grain: UTC day (gap and stray only).
with

final as (
    select
        day,
        day::timestamp as started_at,
        day::timestamp + interval 1 day as ended_at,
        status,
        arrival_count,
        expected_count,
        arrival_ratio
    from coverage_days
    where status in ('gap', 'stray')
)

select * from final
order by day

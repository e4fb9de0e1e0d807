-- Hourly arrivals against the expected volume (volume_baseline macro) from a day before one incident to a day after
-- it, for the report's volume chart. Params: $incident_id, $channels, $accounts, $priorities. Grain: hour.
with

incident as (
    select started_at, ended_at
    from incidents
    where incident_id = $incident_id
),

final as (
    select
        b.hour_at,
        b.conversation_count,
        b.expected_count,
        b.expected_sd,
        b.baseline_weeks,
        b.hour_at < i.ended_at and b.hour_at + interval 1 hour > i.started_at as is_selected_incident_hour
    from incident as i,
        facts_volume_baseline(
            date_trunc('hour', (select started_at from incident)) - interval 1 day,
            date_trunc('hour', (select ended_at from incident)) + interval 1 day,
            $channels, $accounts, $priorities
        ) as b
)

select * from final
order by hour_at

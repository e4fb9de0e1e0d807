-- Every incident with its conversation count: recorded incidents newest first, then detected ones newest first
-- (so the default view, the first row, stays the latest recorded incident after `detect`).
-- Params: none. Grain: incident.
with

counted as (
    select
        i.incident_id,
        i.title,
        i.started_at,
        i.ended_at,
        i.severity,
        i.services,
        i.source,
        date_diff('minute', i.started_at, i.ended_at) as duration_minutes,
        count(c.conversation_id) as conversation_count
    from incidents as i
    left join conversations as c on c.incident_id = i.incident_id
    group by all
)

select * from counted
order by source = 'detected', started_at desc, incident_id

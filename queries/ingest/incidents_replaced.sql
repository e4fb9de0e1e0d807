-- Stored incidents that the staged incidents replace with different content, with what they were.
-- Params: none (reads the registered frame staged_incidents). Grain: one row per replaced incident.
select i.incident_id, i.title, i.started_at, i.ended_at
from incidents as i
inner join staged_incidents as s on i.incident_id = s.incident_id
where i.title is distinct from s.title
    or i.started_at is distinct from s.started_at::timestamp
    or i.ended_at is distinct from s.ended_at::timestamp
    or i.severity is distinct from s.severity::varchar
    or i.services is distinct from s.services::varchar
    or i.source is distinct from coalesce(s.source, 'recorded')
order by i.incident_id

-- Every incident with its conversation count, newest first.
-- Params: none. Grain: incident.
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
order by i.started_at desc

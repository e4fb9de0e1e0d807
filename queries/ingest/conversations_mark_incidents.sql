-- Set each conversation's incident: the latest-starting incident whose window holds its start (only changed rows).
-- Params: none. Grain: none (DML). Recorded incidents own conversations while there are any; else detected ones.
update conversations as c
set incident_id = m.incident_id
from (
    select
        c.conversation_id,
        max_by(i.incident_id, i.started_at) as incident_id
    from conversations as c
    left join incidents as i
        on c.started_at between i.started_at and i.ended_at
        and (
            i.source = 'recorded'
            or not exists (select 1 from incidents as r where r.source = 'recorded')
        )
    group by c.conversation_id
) as m
where c.conversation_id = m.conversation_id
    and c.incident_id is distinct from m.incident_id

-- Set conversations.incident_id for the conversations in table or view $source (`conversations`, or the view of those
-- an import touched): the latest-starting incident whose window holds the conversation's start.
-- Params: $source (a table or view name). Grain: none (DML; only changed rows).
-- Only recorded incidents own conversations while the database has any: detected incidents (dashboard/alerts/detect.py)
-- then annotate, and never move conversations out of the normal period. A database with no recorded incident falls
-- back to its detected ones.
update conversations as c
set incident_id = m.incident_id
from (
    select
        s.conversation_id,
        max_by(i.incident_id, i.started_at) as incident_id
    from query_table($source) as s
    left join incidents as i
        on s.started_at between i.started_at and i.ended_at
        and (
            i.source = 'recorded'
            or not exists (select 1 from incidents as r where r.source = 'recorded')
        )
    group by s.conversation_id
) as m
where c.conversation_id = m.conversation_id
    and c.incident_id is distinct from m.incident_id

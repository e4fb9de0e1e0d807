-- The conversations inside the shared filters split into periods: 'incident' (the chosen incident's) and 'normal'
-- (outside every incident); conversations of other incidents are left out. Every incident-versus-normal query
-- starts here (README: Incident period).
create or replace macro period_conversations(
    start_at, end_at, channels, accounts, priorities, chosen_incident_id
) as table
select
    case when incident_id = chosen_incident_id then 'incident' else 'normal' end as period,
    *
from scoped_conversations(start_at, end_at, channels, accounts, priorities)
where incident_id = chosen_incident_id or incident_id is null

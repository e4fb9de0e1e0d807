-- period_conversations counted: scoped_rollup's rows split into 'incident' (the chosen incident's) and 'normal'
-- (outside every incident); rows of other incidents are left out (README: Incident period).
create or replace macro period_rollup(start_at, end_at, channels, accounts, priorities, chosen_incident_id) as table
select
    case when incident_id = chosen_incident_id then 'incident' else 'normal' end as period,
    *
from scoped_rollup(start_at, end_at, channels, accounts, priorities)
where incident_id = chosen_incident_id or incident_id is null

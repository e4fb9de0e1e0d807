-- Insert or replace incidents (by incident_id) from an incidents file or the demo.
-- Params: none (reads the registered frame staged_incidents). Grain: none (DML).
insert or replace into incidents
select incident_id, title, started_at, ended_at, severity, services, coalesce(source, 'recorded')
from staged_incidents

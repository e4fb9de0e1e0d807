-- Recount the conversation_rollup rows of the touched UTC hours (temp table touched_hours) from conversation_facts.
-- Params: none. Grain: UTC quarter-hour x channel x account x priority x incident.
insert into conversation_rollup
select *
from conversation_rollup_rows(
    (select min(hour) from touched_hours),
    (select max(hour) + interval 1 hour from touched_hours)
)
where date_trunc('hour', quarter_at) in (select hour from touched_hours)
order by quarter_at, channel, account, priority, incident_id

-- Drop the conversation_rollup rows of the touched UTC hours (temp table touched_hours), before they are recounted.
-- Params: none. Grain: UTC quarter-hour x channel x account x priority x incident.
delete from conversation_rollup
where date_trunc('hour', quarter_at) in (select hour from touched_hours)

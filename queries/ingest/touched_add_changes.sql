-- Record as touched, once the import has written: the conversations of customers whose row changed, those starting
-- inside an incident window added, changed or replaced (old and new windows), those whose SLA status the moved data end
-- changes, and the UTC hours all touched conversations start in now.
-- Params: none. Grain: none (DML).
-- Every detected window counts when the database gains or loses its recorded incidents (they decide which incidents
-- own conversations); a status changes for an unanswered conversation whose deadline lies between the old and the new
-- data end.
insert or ignore into touched_conversations
select distinct c.conversation_id
from conversations as c
where c.customer_id in (
    select b.customer_id
    from customers_before as b
    left join customers as k on b.customer_id = k.customer_id
    where b.customer is distinct from k
);

insert or ignore into touched_conversations
with

changed as (
    (select * from incidents_before except select * from incidents)
    union all
    (select * from incidents except select * from incidents_before)
),

flipped as (
    select
        exists (select 1 from incidents_before where source = 'recorded')
        <> exists (select 1 from incidents where source = 'recorded') as is_flipped
),

windows as (
    select started_at, ended_at
    from changed
    union all
    select i.started_at, i.ended_at
    from incidents_before as i, flipped as f
    where i.source = 'detected' and f.is_flipped
    union all
    select i.started_at, i.ended_at
    from incidents as i, flipped as f
    where i.source = 'detected' and f.is_flipped
)

select distinct c.conversation_id
from conversations as c
inner join windows as w on c.started_at between w.started_at and w.ended_at;

insert or ignore into touched_conversations
select distinct f.conversation_id
from conversation_facts as f, data_end_before as b
where f.first_response_at is null
    and f.sla_due_at > least(b.data_end_at, data_end_at())
    and f.sla_due_at <= greatest(b.data_end_at, data_end_at());

insert or ignore into touched_hours
select distinct date_trunc('hour', c.started_at)
from conversations as c
where c.conversation_id in (select t.conversation_id from touched_conversations as t);

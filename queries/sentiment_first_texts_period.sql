-- Distinct customer first messages, counted in the incident and in normal time over the 28 days before it (the most
-- frequent 20,000). Params: $start_at, $end_at, filters, $incident_id. Grain: text.
with

incident as (
    select started_at, ended_at
    from incidents
    where incident_id = $incident_id
),

periods as (
    select
        c.conversation_id,
        c.started_at,
        c.incident_id is not null as is_incident
    from scoped_conversations($start_at, $end_at, $channels, $accounts, $priorities) as c, incident as i
    where c.incident_id = $incident_id
        or (c.incident_id is null and c.started_at >= i.started_at - interval 28 day and c.started_at < i.started_at)
),

first_texts as (
    select
        m.text,
        count(*) filter (where p.is_incident) as incident_count,
        count(*) filter (where not p.is_incident) as normal_count
    from periods as p
    inner join messages as m
        on m.conversation_id = p.conversation_id
        and m.sent_at = p.started_at
        and m.author_type = 'customer'
    where m.text is not null
    group by m.text
),

final as (
    select text, incident_count, normal_count
    from first_texts
    order by incident_count + normal_count desc, text
    limit 20000
)

select * from final

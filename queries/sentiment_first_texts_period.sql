-- Distinct customer first messages with how many incident and normal conversations opened with each, the 20,000
-- most frequent. Params: $start_at, $end_at, $channels, $accounts, $priorities, $incident_id. Grain: text.
with

periods as (
    select
        conversation_id,
        started_at,
        coalesce(incident_id = $incident_id, false) as is_incident
    from scoped_conversations($start_at, $end_at, $channels, $accounts, $priorities)
    where incident_id = $incident_id or incident_id is null
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

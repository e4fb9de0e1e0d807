-- Words surging in one incident against the 28 normal days before it (5+ and 1%+ of its conversations, lift 2+),
-- top 12 by count x ln(lift). Params: $incident_id, $channels, $accounts, $priorities. Grain: term.
with

incident as (
    select started_at
    from incidents
    where incident_id = $incident_id
),

scoped as (
    select
        c.conversation_id,
        case when c.incident_id = $incident_id then 'incident' else 'normal' end as period
    from conversation_facts as c, incident as i
    where (
            c.incident_id = $incident_id
            or (c.incident_id is null and c.started_at >= i.started_at - interval 28 day and c.started_at < i.started_at)
        )
        and list_contains($channels, c.channel)
        and list_contains($accounts, coalesce(c.account, '(none)'))
        and list_contains($priorities, c.priority)
),

sizes as (
    select
        count(*) filter (where period = 'incident') as incident_count,
        count(*) filter (where period = 'normal') as normal_count
    from scoped
),

words as (
    select distinct
        s.conversation_id,
        s.period,
        unnest(regexp_split_to_array(lower(m.text), '[^a-z0-9'']+')) as term
    from scoped as s
    inner join messages as m
        on m.conversation_id = s.conversation_id
        and m.author_type = 'customer'
),

counted as (
    select
        term,
        count(*) filter (where period = 'incident') as incident_conversation_count,
        count(*) filter (where period = 'normal') as normal_conversation_count
    from words
    where length(term) >= 3
        and not regexp_full_match(term, '[0-9'']+')
        and term not in (
            'the', 'and', 'for', 'you', 'your', 'are', 'was', 'not', 'but', 'have', 'has', 'had', 'this', 'that',
            'with', 'from', 'they', 'them', 'their', 'there', 'what', 'when', 'where', 'which', 'who', 'why', 'how',
            'can', 'could', 'would', 'should', 'will', 'just', 'now', 'still', 'any', 'all', 'been', 'being', 'did',
            'does', 'doing', 'get', 'got', 'its', 'it''s', 'i''m', 'don''t', 'can''t', 'our', 'out', 'about', 'into',
            'than', 'then', 'too', 'very', 'also', 'please', 'thanks', 'thank', 'hi', 'hello', 'hey', 'yes', 'one',
            'some', 'more', 'like', 'want', 'need', 'know', 'here', 'my', 'me', 'is', 'it', 'on', 'in', 'to', 'of'
        )
    group by term
),

final as (
    select
        c.term,
        c.incident_conversation_count,
        c.normal_conversation_count,
        c.incident_conversation_count / s.incident_count as incident_share,
        c.normal_conversation_count / nullif(s.normal_count, 0) as normal_share,
        -- half a conversation added to the normal count keeps words never seen before finite
        (c.incident_conversation_count / s.incident_count)
            / ((c.normal_conversation_count + 0.5) / nullif(s.normal_count, 0)) as lift
    from counted as c, sizes as s
    where c.incident_conversation_count >= greatest(5, 0.01 * s.incident_count)
)

select * from final
where lift >= 2
order by incident_conversation_count * ln(lift) desc, term
limit 12

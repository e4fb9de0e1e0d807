-- What each import noticed about its file (reply links leaving it, conversations started outside it, missing brand
-- replies, unsigned brands, old rows), newest import first, with what it means for the numbers.
-- Params: none. Grain: import x note.
with

meanings (kind, note_order, meaning) as (
    values
        (
            'no_brand_reply', 1,
            'These conversations count as unanswered (and as SLA breaches once due) only because the brand''s side '
            || 'is not in the file; a reply link to a tweet outside the file means the brand most likely did answer.'
        ),
        (
            'brand_outbound_absent', 2,
            'The addressed brand never tweets in the file, so these conversations have no account and no reply: '
            || 'they say nothing about that brand''s responsiveness.'
        ),
        (
            'started_outside_file', 3,
            'The real start is before the file: start sentiment, negative-start share and recovery leave these out; '
            || 'they still count as arrivals, and first response is timed from their first customer tweet in the file.'
        ),
        (
            'agent_signatures', 4,
            'Signed replies become per-agent ids (brand/initials), so agents who answered and load per agent count '
            || 'people; unsigned replies count toward answers but not toward any agent.'
        ),
        (
            'unsigned_brands', 5,
            'These brands'' replies name no agent: the staffing section shows no agents-who-answered for them.'
        ),
        (
            'reply_links_outside', 6,
            'The file is a slice of longer threads: replies before or after it are missing, so threads look '
            || 'shorter and some look unanswered.'
        ),
        ('old_rows', 7, 'Rows far older than the rest, loaded as given; they stretch the date range.'),
        ('other', 8, 'Noted by the importer.')
),

final as (
    select
        n.imported_at,
        n.file,
        n.kind,
        n.count,
        n.detail,
        coalesce(m.meaning, 'Noted by the importer.') as meaning,
        coalesce(m.note_order, 99) as note_order
    from import_notes as n
    left join meanings as m on n.kind = m.kind
)

select * from final
order by imported_at desc, note_order, kind

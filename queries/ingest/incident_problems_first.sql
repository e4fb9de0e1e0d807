-- The first incidents-file row with a problem: a missing id or title, unreadable time, end before start.
-- Params: none. Grain: at most one row (row_number, problem, value).
with

checked as (
    select
        rowid + 1 as row_number,
        *,
        case
            when clean_text(incident_id) is null then 'incident_id'
            when clean_text(title) is null then 'title'
            when parse_ts(started_at) is null then 'started_at'
            when parse_ts(ended_at) is null then 'ended_at'
            when parse_ts(ended_at) < parse_ts(started_at) then 'ended_at:order'
        end as problem
    from raw
)

select
    row_number,
    problem,
    case problem
        when 'started_at' then started_at
        when 'ended_at' then ended_at
        when 'ended_at:order' then trim(ended_at) || ' < ' || trim(started_at)
    end as value
from checked
where problem is not null
order by row_number
limit 1

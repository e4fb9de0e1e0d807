-- Incidents-file rows with a problem, first first: missing id or title, bad or implausible time, end not after start.
-- Params: $earliest, $latest (timestamps), $max_days (longest incident). Grain: one row per bad data row.
with

checked as (
    select
        rowid + 1 as row_number,
        *,
        case
            when clean_text(incident_id) is null then 'incident_id'
            when clean_text(title) is null then 'title'
            when parse_ts(started_at) is null then 'started_at'
            when bad_offset(started_at) then 'started_at:offset'
            when implausible(parse_ts(started_at), $earliest, $latest) then 'started_at:window'
            when parse_ts(ended_at) is null then 'ended_at'
            when bad_offset(ended_at) then 'ended_at:offset'
            when implausible(parse_ts(ended_at), $earliest, $latest) then 'ended_at:window'
            when parse_ts(ended_at) <= parse_ts(started_at) then 'ended_at:order'
            when date_diff('second', parse_ts(started_at), parse_ts(ended_at)) > $max_days * 86400 then 'ended_at:span'
        end as problem
    from raw
)

select
    row_number,
    problem,
    case problem
        when 'ended_at:order' then trim(ended_at) || ' <= ' || trim(started_at)
        when 'ended_at:span' then trim(started_at) || ' to ' || trim(ended_at)
        else case split_part(problem, ':', 1) when 'started_at' then started_at when 'ended_at' then ended_at end
    end as value
from checked
where problem is not null
order by row_number

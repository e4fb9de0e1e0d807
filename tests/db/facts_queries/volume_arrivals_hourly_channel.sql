-- Conversations starting each local hour (time zone $tz), per channel, with empty hours as zeros (for stacked areas).
-- Params: $start_at, $end_at, $channels, $accounts, $priorities, $tz. Grain: local hour x channel.
with

hours as (
    -- Every local clock hour from the range start to its end or the newest start, whichever is first.
    select distinct local_hour_at as hour_at
    from tz_offsets(
        $tz, $start_at, least($end_at::timestamp - interval 1 second, (select max(started_at) from conversations))
    )
),

channels as (
    select unnest($channels) as channel
),

arrivals as (
    select
        date_trunc('hour', local_started_at) as hour_at,
        channel,
        count(*) as conversation_count
    from local_conversations($start_at, $end_at, $channels, $accounts, $priorities, $tz)
    group by all
),

final as (
    select
        h.hour_at,
        c.channel,
        coalesce(a.conversation_count, 0) as conversation_count
    from hours as h
    cross join channels as c
    left join arrivals as a
        on h.hour_at = a.hour_at
        and c.channel = a.channel
)

select * from final
order by hour_at, channel

-- Conversations starting each hour, per channel, with empty hours as zeros (for stacked areas).
-- Params: $start_at, $end_at, $channels, $accounts, $priorities. Grain: hour x channel.
with

hours as (
    select unnest(generate_series(
        date_trunc('hour', $start_at::timestamp),
        least(
            date_trunc('hour', $end_at::timestamp - interval 1 second),
            (select date_trunc('hour', max(started_at)) from conversations)
        ),
        interval 1 hour
    )) as hour_at
),

channels as (
    select unnest($channels) as channel
),

arrivals as (
    select
        date_trunc('hour', started_at) as hour_at,
        channel,
        count(*) as conversation_count
    from scoped_conversations($start_at, $end_at, $channels, $accounts, $priorities)
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

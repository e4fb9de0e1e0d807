-- What the shared filters can choose from, and the data's time range.
-- Params: none. Grain: one row.
select
    (select list(distinct channel order by channel) from conversations) as channels,
    (select list(distinct coalesce(account, '(none)') order by coalesce(account, '(none)')) from conversations)
        as accounts,
    (select list(distinct priority order by priority) from conversations) as priorities,
    (select min(started_at) from conversations) as first_started_at,
    (select max(last_message_at) from conversations) as data_end_at

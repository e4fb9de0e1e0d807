-- scoped_conversations counted: range_rollup's rows inside the shared filters (channels, accounts, priorities; a
-- conversation with no account matches the account '(none)').
create or replace macro scoped_rollup(start_at, end_at, channels, accounts, priorities) as table
select *
from range_rollup(start_at, end_at)
where list_contains(channels, channel)
    and list_contains(accounts, coalesce(account, '(none)'))
    and list_contains(priorities, priority)

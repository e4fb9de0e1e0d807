-- The conversations inside the shared filters: start in [start_at, end_at), one of the channels, accounts and
-- priorities (a conversation with no account matches the account '(none)'). Every page query starts here.
create or replace macro scoped_conversations(start_at, end_at, channels, accounts, priorities) as table
select *
from conversation_facts
where started_at >= start_at
    and started_at < end_at
    and list_contains(channels, channel)
    and list_contains(accounts, coalesce(account, '(none)'))
    and list_contains(priorities, priority)

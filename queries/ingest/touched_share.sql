-- How many conversations an import touched (temp table touched_conversations) beside how many are stored: a large share
-- is cheaper to rebuild whole.
-- Params: none. Grain: one row.
select
    (select count(*) from touched_conversations) as touched_count,
    (select count(*) from conversations) as conversation_count

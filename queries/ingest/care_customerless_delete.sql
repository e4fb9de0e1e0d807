-- Delete the typed rows of conversations without any customer message; returns the count deleted.
-- Params: none. Grain: none (DML).
delete from typed
where conversation_id in (
    select conversation_id
    from typed
    group by conversation_id
    having not bool_or(author_type = 'customer')
)

-- Delete exact repeats from scratch table typed, keeping each key's first row; returns the count deleted.
-- Params: none. Grain: none (DML).
delete from typed
where row_number not in (select min(row_number) from typed group by key)

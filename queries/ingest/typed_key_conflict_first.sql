-- The first row of scratch table typed whose key repeats an earlier row's with different content.
-- Params: none. Grain: at most one row (row_number, key, first_row).
select row_number, key, first_row
from (
    select
        row_number,
        key,
        content,
        first_value(row_number) over same_key as first_row,
        first_value(content) over same_key as first_content
    from typed
    window same_key as (partition by key order by row_number)
)
where content <> first_content
order by row_number
limit 1

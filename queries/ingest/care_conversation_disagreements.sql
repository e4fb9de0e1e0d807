-- Per attribute, how many conversations of the typed care rows disagree on it, with one example and its values.
-- Params: none. Grain: one row per attribute (channel, account, customer_id of customer messages).
with

attributes as (
    select conversation_id, row_number, 'channel' as attribute, channel as value
    from typed
    union all
    select conversation_id, row_number, 'account', account
    from typed
    union all
    select conversation_id, row_number, 'customer_id', customer_id
    from typed
    where author_type = 'customer'
),

disagreeing as (
    select
        attribute,
        conversation_id,
        min(row_number) as first_row,
        list(distinct value order by value) filter (where value is not null) as "values"
    from attributes
    group by attribute, conversation_id
    having count(distinct value) > 1
),

final as (
    select
        attribute,
        count(*) as conversations,
        arg_min(conversation_id, first_row) as example,
        arg_min("values", first_row) as example_values
    from disagreeing
    group by attribute
)

select *
from final
order by attribute

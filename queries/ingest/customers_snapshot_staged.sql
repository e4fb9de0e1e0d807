-- Keep the stored rows of the customers on staged customer messages (a missing customer as a row of nulls), before
-- the import changes them.
-- Params: none (reads the registered frame staged). Grain: none (DML).
insert into customers_before
select s.customer_id, k as customer
from (
    select distinct customer_id
    from staged
    where author_type = 'customer' and customer_id is not null
) as s
left join customers as k on s.customer_id = k.customer_id
where s.customer_id not in (select b.customer_id from customers_before as b)

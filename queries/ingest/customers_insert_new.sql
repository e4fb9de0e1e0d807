-- Give each new customer of a companion file a row with the table defaults, so a blank is_media never meets its
-- not-null constraint; customers_upsert then only fills in (or keeps) values.
-- Params: none (reads the registered frame staged_customers). Grain: none (DML).
insert or ignore into customers (customer_id)
select customer_id
from staged_customers

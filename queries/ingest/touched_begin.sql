-- Start recording what an import touches, for the incremental refresh: the touched conversations and UTC hours (both
-- read by dashboard/db/schema.py refresh_derived), the data end, the incidents and, as they are staged, the customers
-- as they were before the import.
-- Params: none. Grain: temp tables.
create or replace temp table touched_conversations (conversation_id varchar primary key);
create or replace temp table touched_hours (hour timestamp primary key);
create or replace temp table data_end_before as
select data_end_at() as data_end_at;
create or replace temp table incidents_before as
select *
from incidents;
create or replace temp table customers_before as
select k.customer_id, k as customer
from customers as k
limit 0;

-- The span of the data and how many churn outcomes it holds: decides whether a churn model can be trained.
-- Params: none. Grain: one row.
select
    (select min(started_at) from conversations) as first_started_at,
    (select max(last_message_at) from conversations) as data_end_at,
    (select count(*) from customers) as customer_count,
    (select count(*) from customers where churned_at is not null) as churned_customer_count

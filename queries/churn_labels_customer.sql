-- The churn label at a scoring time: did the customer churn within 90 days after $scored_at (README definition)?
-- Params: $scored_at (timestamp). Grain: customer not yet churned at the scoring time.
select
    customer_id,
    coalesce(churned_at <= $scored_at + interval 90 day, false) as is_churned
from customers
where churned_at is null
    or churned_at >= $scored_at
order by customer_id

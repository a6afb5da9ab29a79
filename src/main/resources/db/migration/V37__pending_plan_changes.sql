-- Decision 052: a plan change that waits for the next period (a downgrade, or another billing interval) is kept
-- here until the billing date that starts that period; plan_id, plan_type and billing_interval then follow it.
alter table subscriptions add column pending_plan_id varchar(40);

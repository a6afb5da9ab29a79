-- When a row may run: its due time, and after a failure the time of its next attempt. due_at stays the instant the
-- work is for (the billing date a retried billing row bills, the day a dunning step belongs to), so a retry never
-- shifts what a job does — and a row for the same work and instant is still recognised as already scheduled.
alter table timeline add column run_at timestamp with time zone;
update timeline set run_at = due_at;
alter table timeline alter column run_at set not null;
drop index timeline_pending;
create index timeline_pending on timeline (state, run_at);
drop index timeline_tenant_pending;
create index timeline_tenant_pending on timeline (tenant_id, state, run_at, id);

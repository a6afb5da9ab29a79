-- The console's home page and account search at 100,000 accounts and a year of invoices (issue 14 point 10,
-- docs/decisions/050-console-speed.md, docs/BENCHMARKS.md "Console"). Plain indexes, valid on PostgreSQL 15 and H2 2.5:
-- no expression or partial index, no extension.

-- "Invoiced this month": the invoices issued since the 1st, read from the index alone (no row visited).
create index invoices_issued on invoices (tenant_id, issued_at, status, currency, total);
-- "Outstanding", "past due" and accounts in dunning: the open invoices of the tenant (a few thousand of a million),
-- read from the index alone.
create index invoices_by_status on invoices (tenant_id, status, past_due_at, currency, amount_due, account_id, id);
-- "Collected" of the month still open: its payments, from the index alone.
create index payments_received on payments (tenant_id, created_at, currency, amount);
-- Licenses' MRR: when each license of the tenant was issued and revoked, and its plan, from the index alone (a
-- license row, with its sealed key and its site twice, is several times wider).
create index licenses_live on licenses (tenant_id, issued_at, revoked_at, plan_id);
-- "Churned this month".
create index subscriptions_canceled on subscriptions (tenant_id, canceled_at);
-- The search by the last block of a license key.
create index licenses_key_suffix on licenses (tenant_id, key_suffix);

-- The console home's licenses' MRR of the month still open (decision 050): the prices of the licenses revoked since
-- a kept instant, read as a running sum, so a view reads the last hour's revocations instead of every license.
create index licenses_revoked on licenses (tenant_id, revoked_at, issued_at, plan_id);

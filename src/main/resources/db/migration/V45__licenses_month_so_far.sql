-- The portal's Billing page (issue 13 point 5): an account's licenses counted by plan and by their issue and
-- revocation instants for the month so far, read from the index alone on PostgreSQL (a license row, with its sealed
-- key and its site twice, is several times wider).
create index licenses_account_spans on licenses (tenant_id, account_id, issued_at, revoked_at, plan_id);

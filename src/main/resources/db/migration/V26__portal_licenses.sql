-- The portal's Licenses tabs (decision 034): one account's licenses of one status, newest first, a page at a time,
-- for accounts with 10,000 licenses. The "All" tab uses licenses_account (tenant_id, account_id, id).
create index licenses_account_status on licenses (tenant_id, account_id, status, id);

-- Decision 078: a key's created_at is the server's time, not the tenant's, so that the daily purge keeps every key for
-- 24 hours of real time whatever a test clock does. A test tenant's keys made before this carry its clock's time, which
-- an advance may have put ahead of the real time: those count from now.
update idempotency_keys set created_at = current_timestamp where created_at > current_timestamp;

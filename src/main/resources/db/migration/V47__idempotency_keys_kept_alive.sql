-- Decision 077: a request still running keeps its key alive. alive_at is the last time the process running the request
-- said it still does (the system's time, about once a minute); a retry takes the key over only once neither the claim
-- nor the last sign of life is younger than the bound. Null until the first sign, and again on each new claim.
alter table idempotency_keys add column alive_at timestamp with time zone;

-- Decision 075: a key left "running" by a request cut off by a crash is taken over by a retry once it has been running
-- longer than any request runs. claimed_at is when the running request claimed it (the system's time, not a test
-- tenant's clock); recovery is the object its work made first, written in the same transaction as that object, so a
-- retry that takes over answers from the object instead of making it again.
alter table idempotency_keys add column claimed_at timestamp with time zone;
alter table idempotency_keys add column recovery varchar(64);
-- Keys left running before this version keep no claim time: they are never taken over (their request recorded nothing
-- it made, so a retry could not tell whether running again would make it twice) and go with the daily purge, as before.

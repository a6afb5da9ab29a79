-- Sending the outbox (docs/decisions/026-email.md). A notification is delivered by the mail worker, not by the
-- transaction that wrote it: next_attempt_at is when it may be tried next on its tenant's clock (backoff after a
-- temporary failure), locked_until the lease of the worker sending it on the system clock (a worker that dies
-- mid-send leaves the row to be taken up again when its lease ends), last_response what the mail server said.
-- The status gains 'skipped' (no address to write to); the column is rebuilt to drop its old check.
drop index notifications_pending;
alter table notifications add column delivery varchar(10) default 'pending' not null;
update notifications set delivery = status;
alter table notifications drop column status;
alter table notifications rename column delivery to status;
alter table notifications add constraint notifications_status check (status in ('pending', 'sent', 'failed', 'skipped'));
alter table notifications add column attempts integer default 0 not null;
alter table notifications add column next_attempt_at timestamp with time zone;
alter table notifications add column locked_until timestamp with time zone;
alter table notifications add column last_response varchar(1000);
alter table notifications add column failed_at timestamp with time zone;
-- A reminder is queued once per thing it is about (card_expiring:pm_…, trial_ending:sub_…).
alter table notifications add column dedupe_key varchar(100);
update notifications set next_attempt_at = created_at where status = 'pending';
create index notifications_due on notifications (status, next_attempt_at);
create unique index notifications_dedupe on notifications (tenant_id, dedupe_key);

-- The tenant's sender and brand, for the emails its customers receive; slug names its portal (/portal/{slug}/).
alter table tenants add column slug varchar(60);
create unique index tenants_slug on tenants (slug);
alter table tenants add column sender_name varchar(200);
alter table tenants add column sender_email varchar(320);
alter table tenants add column reply_to varchar(320);
alter table tenants add column logo_url varchar(2000);
alter table tenants add column brand_color varchar(7);
alter table tenants add column accent_color varchar(7);

-- One Message-ID per notification, fixed when it is queued: a resend after a crash carries the same one.
alter table notifications add column message_id varchar(200);
update notifications set message_id = '<' || id || '@tollgate.localhost>';
-- Messages to the tenant itself (a webhook endpoint disabled) belong to no account.
alter table notifications alter column account_id drop not null;

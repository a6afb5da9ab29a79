-- Issue #10 §2 (docs/decisions/024-one-off-charges-and-keys.md): secret keys managed over the API, metadata on
-- the main resources, pending invoice items and one-off invoices. Plain types, valid on PostgreSQL 15 and H2 2.5.

-- A key gets an id of its own (to list and revoke it by), an optional name and the last time it was used.
-- Keys made before this migration get an id derived from their hash, which reveals nothing usable.
alter table api_keys add column id varchar(40);
update api_keys set id = 'key_' || substring(key_hash, 1, 22);
alter table api_keys alter column id set not null;
create unique index api_keys_id on api_keys (id);
alter table api_keys add column name varchar(100);
alter table api_keys add column last_used_at timestamp with time zone;

-- A new time zone asked for while a license month is counted in the old one: it takes effect when that month
-- closes (the billing run at 00:00 on the 1st in the old zone sets it).
alter table accounts add column pending_timezone varchar(64);

-- Metadata: the tenant's own string key/values (JSON object text), as Stripe's; null reads as {}.
alter table accounts add column metadata text;
alter table plans add column metadata text;
alter table subscriptions add column metadata text;
alter table licenses add column metadata text;
alter table invoices add column metadata text;

-- A one-off invoice (made through the API as a draft) falls on no billing date of a schedule: its billing_date is
-- null, so it never takes the place of a scheduled invoice in the (account, billing date) guard of the billing run.
alter table invoices alter column billing_date drop not null;

-- Pending invoice items: one-off charges that go on the account's next invoice, whatever issues it. While pending,
-- invoice_id and billed_at are null. The billing run sets billed_at to the billing date of the invoice it put the
-- item on; a one-off draft sets invoice_id.
create table invoice_items (
    id            varchar(40)  primary key,
    tenant_id     varchar(40)  not null references tenants (id),
    account_id    varchar(40)  not null references accounts (id),
    currency      varchar(3)   not null,
    amount        bigint       not null check (amount > 0),
    description   varchar(500) not null,
    metadata      text,
    invoice_id    varchar(40),
    billed_at     timestamp with time zone,
    created_at    timestamp with time zone not null
);
create index invoice_items_account on invoice_items (tenant_id, account_id, id);
create index invoice_items_invoice on invoice_items (tenant_id, invoice_id);

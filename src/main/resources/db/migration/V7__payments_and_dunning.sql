-- Charging invoices, payments received, dunning policies and their steps, the account's standing, and the
-- notification outbox (SPEC §5, §6). Plain types, valid on PostgreSQL 15 and H2 2.5 (PostgreSQL mode).
-- See docs/decisions/011-payments-and-dunning.md.

-- When an invoice became past due (its first failed payment round, or its issue when no method could be charged)
-- and the dunning policy its steps follow, fixed at that moment. Null while it is not past due.
alter table invoices add column past_due_at timestamp with time zone;
alter table invoices add column dunning_policy varchar(60);
alter table invoices add column paid_at timestamp with time zone;
create index invoices_open_by_account on invoices (tenant_id, account_id, status);

-- The account's services as dunning leaves them (entitlements), and the data deletion it scheduled.
alter table accounts add column services varchar(10) not null default 'active';
alter table accounts add column data_deleted_at timestamp with time zone;
alter table accounts add column backups_purge_at timestamp with time zone;

-- A tenant's default dunning policy (a policy id or a built-in name); null: the built-in matching the plan type.
alter table tenants add column dunning_policy varchar(60);

-- Subscriptions may now be suspended. The old check constraint is unnamed (and named differently by each
-- database), so the column is swapped for one with the wider check.
alter table subscriptions add column state varchar(10) not null default 'active'
    check (state in ('trialing', 'active', 'past_due', 'suspended', 'canceled'));
update subscriptions set state = status;
alter table subscriptions drop column status;
alter table subscriptions rename column state to status;

-- One charge of one invoice to one payment method. A payment attempt (SPEC §5) is a round: every method in order
-- until one succeeds; `attempt` numbers the rounds and `position` the charges inside one. A charge is written
-- `pending`, in its own transaction, before the gateway is called, so that a crash between the gateway's answer and
-- the commit leaves a row to resolve (by asking the gateway again with the same idempotency key) instead of a
-- charge nobody knows about. No foreign keys: that early write must not wait for the locks the charging
-- transaction holds on the invoice and the account.
create table payment_attempts (
    id                 varchar(40)  primary key,
    tenant_id          varchar(40)  not null,
    invoice_id         varchar(40)  not null,
    account_id         varchar(40)  not null,
    attempt            integer      not null check (attempt >= 1),
    position           integer      not null check (position >= 0),
    payment_method_id  varchar(40)  not null,
    gateway            varchar(20)  not null,
    amount             bigint       not null check (amount > 0),
    currency           varchar(3)   not null,
    status             varchar(10)  not null check (status in ('pending', 'succeeded', 'declined', 'unknown', 'unresolved')),
    decline_reason     varchar(60),
    gateway_id         varchar(255),
    idempotency_key    varchar(80)  not null,
    -- what started the round: the invoice's issue, a dunning retry, or the account paying
    reason             varchar(10)  not null check (reason in ('issue', 'retry', 'pay')),
    created_at         timestamp with time zone not null,
    resolved_at        timestamp with time zone,
    unique (idempotency_key)
);
create index payment_attempts_invoice on payment_attempts (tenant_id, invoice_id, attempt, position);
create index payment_attempts_unresolved on payment_attempts (status, created_at);

-- Money received on an invoice: a successful charge or an offline payment (wire transfer, cheque…).
create table payments (
    id                  varchar(40)  primary key,
    tenant_id           varchar(40)  not null references tenants (id),
    invoice_id          varchar(40)  not null references invoices (id),
    account_id          varchar(40)  not null,
    amount              bigint       not null check (amount > 0),
    currency            varchar(3)   not null,
    method              varchar(20)  not null,
    reference           varchar(200),
    payment_attempt_id  varchar(40),
    created_at          timestamp with time zone not null
);
create index payments_invoice on payments (tenant_id, invoice_id);

-- The sandbox gateway's own ledger: what it answered for each idempotency key (asked again, it answers the same,
-- as Stripe does), and how many charges each card has had (tok_chargeDeclinedOnce fails its first only).
create table sandbox_charges (
    idempotency_key  varchar(80)  primary key,
    card             varchar(40)  not null,
    token            varchar(60)  not null,
    amount           bigint       not null,
    currency         varchar(3)   not null,
    outcome          varchar(10)  not null check (outcome in ('succeeded', 'declined')),
    decline_reason   varchar(60),
    gateway_id       varchar(40)  not null,
    created_at       timestamp with time zone not null
);
create index sandbox_charges_card on sandbox_charges (card);

-- A tenant's dunning policies (SPEC §6). The built-ins (licenses_default, hosting_default) live in code.
create table dunning_policies (
    id          varchar(40)   primary key,
    tenant_id   varchar(40)   not null references tenants (id),
    name        varchar(100)  not null,
    -- JSON array of {after_days, action, template?, backup_retention_days?}, ordered by after_days
    steps       text          not null,
    created_at  timestamp with time zone not null
);
create unique index dunning_policies_name on dunning_policies (tenant_id, name);

-- The dunning steps an invoice has gone through (the past half of GET /v1/accounts/{id}/dunning).
create table dunning_steps (
    id          bigint        generated by default as identity primary key,
    tenant_id   varchar(40)   not null references tenants (id),
    account_id  varchar(40)   not null,
    invoice_id  varchar(40)   not null,
    policy      varchar(60)   not null,
    step        integer       not null check (step >= 0),
    after_days  integer       not null check (after_days >= 0),
    action      varchar(30)   not null,
    template    varchar(60),
    due_at      timestamp with time zone not null,
    ran_at      timestamp with time zone not null,
    -- done, or for a retry how its round ended (payment_succeeded, payment_failed, payment_undecided, no_payment_method)
    outcome     varchar(20)   not null,
    unique (invoice_id, step)
);
create index dunning_steps_account on dunning_steps (tenant_id, account_id, id);

-- Messages to send (SPEC: side effects leave through the outbox). Written in the transaction of the change that
-- causes them; delivered by the notifications capability.
create table notifications (
    id          varchar(40)   primary key,
    tenant_id   varchar(40)   not null references tenants (id),
    account_id  varchar(40)   not null,
    template    varchar(60)   not null,
    recipient   varchar(320),
    invoice_id  varchar(40),
    data        text          not null,
    status      varchar(10)   not null check (status in ('pending', 'sent', 'failed')),
    created_at  timestamp with time zone not null,
    sent_at     timestamp with time zone
);
create index notifications_pending on notifications (status, created_at);
create index notifications_account on notifications (tenant_id, account_id, id);

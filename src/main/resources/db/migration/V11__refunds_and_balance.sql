-- Credit notes on paid invoices (issue #10, SPEC §4): refunds through the gateway that took the money, and the
-- account's credit balance that later invoices consume. See docs/decisions/021-refunds-and-balance.md.
-- Plain types, valid on PostgreSQL 15 and H2 2.5 (PostgreSQL mode).

-- The account's balance in its currency, signed as Stripe's customer balance: negative is credit the account holds
-- (applied to its next invoices), never positive (Tollgate carries no debt outside invoices).
alter table accounts add column balance bigint not null default 0;
alter table accounts add constraint accounts_balance_is_credit check (balance <= 0);

-- Every change of an account's balance, with the balance after it.
create table balance_transactions (
    id              varchar(40)   primary key,
    tenant_id       varchar(40)   not null references tenants (id),
    account_id      varchar(40)   not null references accounts (id),
    -- credit_note: a credit note's credit (negative); applied_to_invoice: consumed by an invoice at issue (positive);
    -- adjustment: set by the tenant through the API
    type            varchar(20)   not null check (type in ('credit_note', 'applied_to_invoice', 'adjustment')),
    amount          bigint        not null check (amount <> 0),
    currency        varchar(3)    not null,
    ending_balance  bigint        not null check (ending_balance <= 0),
    credit_note_id  varchar(40),
    invoice_id      varchar(40),
    description     varchar(500),
    created_at      timestamp with time zone not null
);
create index balance_transactions_account on balance_transactions (tenant_id, account_id, id);

-- What the account's credit balance paid of an invoice at issue; amount_due counts it (V11_1 swaps the check).
alter table invoices add column applied_balance bigint not null default 0;
alter table invoices add constraint invoices_applied_balance check (applied_balance >= 0);

-- A credit note on an open invoice lowers what is due (pre_payment); on a paid one it gives money back (post_payment)
-- through the gateway (refund_to payment) or as account credit (refund_to balance). A note whose refund the gateway
-- refused is void: what it promised was not given.
alter table credit_notes add column type varchar(12) not null default 'pre_payment';
alter table credit_notes add constraint credit_notes_type check (type in ('pre_payment', 'post_payment'));
alter table credit_notes add column status varchar(6) not null default 'issued';
alter table credit_notes add constraint credit_notes_status check (status in ('issued', 'void'));
alter table credit_notes add column refund_to varchar(8);
alter table credit_notes add constraint credit_notes_refund_to check (refund_to in ('payment', 'balance'));
alter table credit_notes add column balance_transaction_id varchar(40);

-- Money given back through a gateway. Written `pending`, with its idempotency key, in the same transaction as its
-- credit note and before the gateway is asked; the answer is written afterwards, and a refund.resolve timeline row
-- asks again (same key) should that never happen. So a refund is never made twice, nor lost.
create table refunds (
    id               varchar(40)   primary key,
    tenant_id        varchar(40)   not null references tenants (id),
    account_id       varchar(40)   not null references accounts (id),
    invoice_id       varchar(40)   not null references invoices (id),
    credit_note_id   varchar(40)   not null references credit_notes (id),
    payment_id       varchar(40)   not null references payments (id),
    gateway          varchar(20)   not null,
    -- the gateway's id of the charge given back (a Stripe PaymentIntent, a sandbox charge)
    charge           varchar(255)  not null,
    amount           bigint        not null check (amount > 0),
    currency         varchar(3)    not null,
    status           varchar(10)   not null check (status in ('pending', 'succeeded', 'failed')),
    failure_reason   varchar(60),
    gateway_id       varchar(255),
    idempotency_key  varchar(80)   not null unique,
    created_at       timestamp with time zone not null,
    resolved_at      timestamp with time zone
);
create index refunds_invoice on refunds (tenant_id, invoice_id, id);
create index refunds_payment on refunds (tenant_id, payment_id);

-- The sandbox gateway's refunds, by idempotency key (asked again, it answers the same, as Stripe does).
create table sandbox_refunds (
    idempotency_key  varchar(80)   primary key,
    charge           varchar(40)   not null,
    amount           bigint        not null,
    outcome          varchar(10)   not null check (outcome in ('succeeded', 'failed')),
    failure_reason   varchar(60),
    gateway_id       varchar(40)   not null,
    created_at       timestamp with time zone not null
);
create index sandbox_refunds_charge on sandbox_refunds (charge);
create index sandbox_charges_gateway_id on sandbox_charges (gateway_id);

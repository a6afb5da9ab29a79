-- Invoices, their lines and discounts, credit notes, gapless document numbers, and the seller's company
-- details on tenants. Plain types, valid on PostgreSQL 15 and H2 2.5 (PostgreSQL mode).

-- The seller's details, printed on every invoice (every part optional, as on accounts).
alter table tenants add column legal_name varchar(200);
alter table tenants add column address_line1 varchar(200);
alter table tenants add column address_line2 varchar(200);
alter table tenants add column address_city varchar(100);
alter table tenants add column address_postal_code varchar(20);
alter table tenants add column address_state varchar(100);
alter table tenants add column address_country varchar(2);
alter table tenants add column tax_id varchar(50);
alter table tenants add column billing_email varchar(320);
alter table tenants add column support_email varchar(320);

-- Per tenant and series, the last number handed out. Taking a number updates (and so locks) this row inside
-- the issuing transaction: two transactions cannot take the same number, and a rollback gives it back.
create table document_numbers (
    tenant_id    varchar(40)  not null references tenants (id),
    series       varchar(12)  not null check (series in ('invoice', 'credit_note')),
    last_number  bigint       not null check (last_number >= 0),
    primary key (tenant_id, series)
);

create table invoices (
    id                    varchar(40)  primary key,
    tenant_id             varchar(40)  not null references tenants (id),
    account_id            varchar(40)  not null references accounts (id),
    -- null while draft; INV-000001 … once open
    number                varchar(24),
    status                varchar(14)  not null check (status in ('draft', 'open', 'paid', 'void', 'uncollectible')),
    currency              varchar(3)   not null,
    billing_date          timestamp with time zone not null,
    issued_at             timestamp with time zone,
    period_start          timestamp with time zone not null,
    period_end            timestamp with time zone not null,
    subtotal              bigint       not null check (subtotal >= 0),
    discount              bigint       not null check (discount >= 0 and discount <= subtotal),
    tax                   bigint       not null check (tax >= 0),
    total                 bigint       not null,
    amount_paid           bigint       not null check (amount_paid >= 0),
    amount_credited       bigint       not null check (amount_credited >= 0),
    amount_due            bigint       not null check (amount_due >= 0),
    attempt_count         integer      not null check (attempt_count >= 0),
    next_payment_attempt  timestamp with time zone,
    -- seller and buyer as printed, taken at issue (JSON of InvoiceParties); null while draft
    parties               text,
    created_at            timestamp with time zone not null,
    -- the arithmetic holds in the database too, whatever writes the row
    check (total = subtotal - discount + tax),
    check (amount_due = total - amount_paid - amount_credited),
    check ((status = 'draft') = (number is null)),
    check ((status = 'draft') = (issued_at is null))
);
-- SPEC §2/§4: one invoice per account and billing date; the last guard of the billing run's "exactly once".
create unique index invoices_one_per_billing_date on invoices (tenant_id, account_id, billing_date);
-- drafts have no number yet, and nulls never collide
create unique index invoices_number on invoices (tenant_id, number);
create index invoices_account on invoices (tenant_id, account_id, id);

create table invoice_lines (
    id               varchar(40)   primary key,
    -- The tenant is the invoice's (checked through invoice_id); no second foreign-key check per line, of which the
    -- monthly run writes millions.
    tenant_id        varchar(40)   not null,
    invoice_id       varchar(40)   not null references invoices (id),
    position         integer       not null,
    kind             varchar(20)   not null,
    description      varchar(500)  not null,
    plan_id          varchar(40),
    subscription_id  varchar(40),
    license_id       varchar(40),
    key_suffix       varchar(10),
    site_url         varchar(2100),
    period_start     timestamp with time zone,
    period_end       timestamp with time zone,
    quantity         bigint        not null check (quantity >= 0),
    days             integer       check (days >= 0),
    amount           bigint        not null check (amount >= 0),
    unique (invoice_id, position)
);

create table invoice_discounts (
    invoice_id       varchar(40)   not null references invoices (id),
    position         integer       not null,
    coupon_id        varchar(40),
    subscription_id  varchar(40),
    description      varchar(500),
    amount           bigint        not null check (amount >= 0),
    primary key (invoice_id, position)
);

create table credit_notes (
    id           varchar(40)   primary key,
    tenant_id    varchar(40)   not null references tenants (id),
    invoice_id   varchar(40)   not null references invoices (id),
    account_id   varchar(40)   not null references accounts (id),
    number       varchar(24)   not null,
    currency     varchar(3)    not null,
    amount       bigint        not null check (amount > 0),
    reason       varchar(500),
    created_at   timestamp with time zone not null
);
create unique index credit_notes_number on credit_notes (tenant_id, number);
create index credit_notes_invoice on credit_notes (tenant_id, invoice_id, id);

-- What a credit note took off each invoice line; a credit of the whole remaining amount has no lines.
create table credit_note_lines (
    credit_note_id   varchar(40)   not null references credit_notes (id),
    position         integer       not null,
    invoice_line_id  varchar(40)   not null references invoice_lines (id),
    amount           bigint        not null check (amount > 0),
    primary key (credit_note_id, position)
);
create index credit_note_lines_line on credit_note_lines (invoice_line_id);

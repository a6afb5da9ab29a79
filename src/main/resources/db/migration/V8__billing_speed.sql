-- The monthly billing run at 100,000 accounts (docs/BENCHMARKS.md). Plain SQL valid on PostgreSQL 15 and H2 2.5.

-- Invoice lines without a foreign key to their invoice: the check was a lookup and a row lock per line, a fifth of
-- the database's work in the billing run, which writes ten lines per invoice. Lines are written only by InvoiceStore,
-- in the transaction that writes (or locks) their invoice, and invoices are never deleted. The constraint has a
-- different generated name in each database, so the table is made again without it; the credit-note lines' key to
-- the lines stays.
create table invoice_lines_v8 (
    id               varchar(40)   primary key,
    tenant_id        varchar(40)   not null,
    invoice_id       varchar(40)   not null,
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
insert into invoice_lines_v8 (id, tenant_id, invoice_id, position, kind, description, plan_id, subscription_id, license_id,
                              key_suffix, site_url, period_start, period_end, quantity, days, amount)
    select id, tenant_id, invoice_id, position, kind, description, plan_id, subscription_id, license_id,
           key_suffix, site_url, period_start, period_end, quantity, days, amount
    from invoice_lines;
drop table invoice_lines cascade;
alter table invoice_lines_v8 rename to invoice_lines;
alter table credit_note_lines add constraint credit_note_lines_invoice_line
    foreign key (invoice_line_id) references invoice_lines (id);

-- A test clock claims the rows due at one instant in id order, 500 at a time: with the id in the index the claim
-- reads those 500, not every pending row of that instant (100,000 on the 1st) to sort them.
drop index timeline_tenant_pending;
create index timeline_tenant_pending on timeline (tenant_id, state, due_at, id);

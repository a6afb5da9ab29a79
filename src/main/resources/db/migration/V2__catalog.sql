-- The catalog: plans and coupons. Same dialect rules as V1 (PostgreSQL 15 and H2 2.5 in PostgreSQL mode).
-- Amounts are bigint minor units; which price columns are set depends on the plan's type (DefiningPlan).

create table plans (
    id                varchar(40)  primary key,
    tenant_id         varchar(40)  not null references tenants (id),
    name              varchar(200) not null,
    type              varchar(10)  not null check (type in ('license', 'flat', 'seats', 'usage')),
    currency          varchar(3)   not null,
    amount            bigint       check (amount >= 0),
    -- "interval" is a reserved word in PostgreSQL
    billing_interval  varchar(5)   not null check (billing_interval in ('month', 'year')),
    included_seats    integer      check (included_seats >= 0),
    seat_amount       bigint       check (seat_amount >= 0),
    unit_amount       bigint       check (unit_amount >= 0),
    -- graduated tiers as JSON: [{"up_to":1000,"unit_amount":10,"flat_amount":0}, …, {"up_to":null,…}]
    tiers             text,
    trial_days        integer      not null check (trial_days between 0 and 730),
    dunning_policy    varchar(40),
    created_at        timestamp with time zone not null
);
create index plans_tenant_id on plans (tenant_id, id);

create table coupons (
    id                  varchar(40)  primary key,
    tenant_id           varchar(40)  not null references tenants (id),
    name                varchar(200),
    percent_off         integer      check (percent_off between 1 and 100),
    amount_off          bigint       check (amount_off > 0),
    currency            varchar(3),
    duration            varchar(10)  not null check (duration in ('once', 'repeating', 'forever')),
    duration_in_months  integer      check (duration_in_months between 1 and 120),
    created_at          timestamp with time zone not null
);
create index coupons_tenant_id on coupons (tenant_id, id);

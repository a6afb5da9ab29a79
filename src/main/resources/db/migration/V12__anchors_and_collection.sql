-- Decision 022: billing anchors, one instant's invoices, and how invoices are collected.

-- How a subscription's invoices are paid: charged to the account's cards, or sent to be paid (wire, portal) within
-- days_until_due days. Existing subscriptions were all charged automatically.
alter table subscriptions add column collection_method varchar(20) not null default 'charge_automatically';
alter table subscriptions add column days_until_due integer;
alter table subscriptions add constraint subscriptions_collection check (
    (collection_method = 'charge_automatically' and days_until_due is null)
    or (collection_method = 'send_invoice' and days_until_due between 0 and 365));

alter table invoices add column collection_method varchar(20) not null default 'charge_automatically';
-- when a send_invoice invoice becomes past due; null for invoices charged automatically
alter table invoices add column due_date timestamp with time zone;
alter table invoices add constraint invoices_collection check (
    collection_method in ('charge_automatically', 'send_invoice')
    and ((collection_method = 'send_invoice') = (due_date is not null) or status = 'draft'));

-- SPEC §2/§4: everything due for an account at one instant goes on one invoice, the billing run's (billing_seq 0),
-- still exactly once per (account, billing date). A charge that arrives after that invoice was issued (a signup at the
-- same instant) is invoiced at once, at that instant, on the instant's next invoice: billing_seq 1, 2, …
alter table invoices add column billing_seq integer not null default 0;
drop index invoices_one_per_billing_date;
create unique index invoices_one_per_billing_date on invoices (tenant_id, account_id, billing_date, billing_seq);

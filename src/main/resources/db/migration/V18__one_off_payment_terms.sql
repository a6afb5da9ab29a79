-- Decision 028: a one-off draft takes payment terms (collection_method, days_until_due) before it is finalized, and
-- every invoice sent to be paid shows the days it was given. Invoices written before this keep null.
alter table invoices add column days_until_due integer;
alter table invoices add constraint invoices_days_until_due check (
    days_until_due is null or (collection_method = 'send_invoice' and days_until_due between 0 and 365));

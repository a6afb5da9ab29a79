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

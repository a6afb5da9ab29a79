-- A tenant's own Stripe account (decision 044): its secret key sealed with the server's encryption key (AES-GCM, bound
-- to the tenant's id), the key's prefix and last four to show in the settings, and the publishable key Stripe.js needs
-- in the portal. Null: the server-wide TOLLGATE_STRIPE_SECRET_KEY serves the tenant, as before.
alter table tenants add column stripe_secret_key bytea;
alter table tenants add column stripe_secret_key_hint varchar(40);
alter table tenants add column stripe_publishable_key varchar(255);

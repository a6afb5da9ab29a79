-- The gateway customer a payment method is saved on (Stripe's cus_…; null for the sandbox): a customer belongs to the
-- first account that attached one of its methods, and another account (of any tenant) is refused its methods
-- (decision 032). Indexed for that check at attach time.
alter table payment_methods add column gateway_customer varchar(255);
create index payment_methods_by_gateway_customer on payment_methods (gateway, gateway_customer);

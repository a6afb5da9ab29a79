-- The gateway a tenant attaches new cards through (`sandbox` | `stripe`); null means its mode's default
-- (test: sandbox, live: stripe). Stored methods keep the gateway that attached them (payment_methods.gateway).
alter table tenants add column gateway varchar(20);

-- Licenses, bundles and the tenant's license-signing key.

-- Set by dunning (SPEC §6: block new licenses after 14 days); refuses issuing with 402 licenses_blocked.
alter table accounts add column licenses_blocked boolean not null default false;

create table bundles (
    id           varchar(40)  primary key,
    tenant_id    varchar(40)  not null references tenants (id),
    account_id   varchar(40)  not null references accounts (id),
    plan_id      varchar(40)  not null,
    size         integer      not null check (size between 2 and 1000),
    status       varchar(10)  not null check (status in ('active', 'revoked')),
    created_at   timestamp with time zone not null,
    revoked_at   timestamp with time zone
);
create index bundles_account on bundles (tenant_id, account_id, id);

create table licenses (
    id           varchar(40)  primary key,
    tenant_id    varchar(40)  not null references tenants (id),
    account_id   varchar(40)  not null references accounts (id),
    plan_id      varchar(40)  not null,
    bundle_id    varchar(40)  references bundles (id),
    -- SHA-256 of the key's normal form: how a site's key is found.
    key_hash     varchar(64)  not null,
    -- The key itself, AES-GCM sealed with the configured key (associated data: the license id).
    key_sealed   bytea        not null,
    key_suffix   varchar(5)   not null,
    status       varchar(12)  not null check (status in ('unassigned', 'assigned', 'revoked')),
    site_url     varchar(2100),
    -- site_url while assigned, else null: a unique index on it keeps one live license per site and plan
    -- (H2 has no partial indexes, and nulls never collide).
    live_site    varchar(2100),
    issued_at    timestamp with time zone not null,
    revoked_at   timestamp with time zone
);
create unique index licenses_key_hash on licenses (key_hash);
create unique index licenses_live_site on licenses (tenant_id, plan_id, live_site);
create index licenses_account on licenses (tenant_id, account_id, id);
create index licenses_bundle on licenses (bundle_id);

create table license_signing_keys (
    tenant_id     varchar(40)  primary key references tenants (id),
    key_id        varchar(40)  not null,
    public_key    bytea        not null,
    -- PKCS#8 private key, AES-GCM sealed (associated data: the tenant id).
    private_sealed bytea       not null,
    created_at    timestamp with time zone not null
);

-- Every change of a license takes the next number: each server process polls for numbers it has not seen
-- and forgets those keys in its validation cache, so another process's change shows within a second or two.
create sequence license_changes;
alter table licenses add column version bigint not null default 0;
create index licenses_version on licenses (version);

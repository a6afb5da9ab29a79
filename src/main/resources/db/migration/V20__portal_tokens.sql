-- Single-use links of the portal (decision 037): invitations (7 days), email verification (3 days), password reset
-- (30 minutes) and portal sessions opened by the seller's app (5 minutes). Only the SHA-256 of the link's 256-bit
-- token is kept, so a read of this table opens no link. used_at makes each link single-use; expiry is on the
-- tenant's clock (a test tenant's links expire as its test clock advances).
create table portal_tokens (
    token_hash  varchar(64)  primary key,
    id          varchar(40)  not null,
    tenant_id   varchar(40)  not null references tenants (id),
    purpose     varchar(16)  not null check (purpose in ('invitation', 'verification', 'reset', 'session')),
    account_id  varchar(40)  not null,
    user_id     varchar(40),
    email       varchar(320),
    role        varchar(8),
    invited_by  varchar(200),
    return_url  varchar(2000),
    created_at  timestamp with time zone not null,
    expires_at  timestamp with time zone not null,
    used_at     timestamp with time zone
);
create index portal_tokens_account on portal_tokens (tenant_id, account_id, purpose);

-- The customer portal (decision 033): a tenant's portal lives at /portal/{slug}/ (tenants.slug, V16), or at
-- /portal/{tenant id}/ while it has chosen none.

-- An account's people who sign in to the portal. An e-mail address signs in to one account per tenant: the login
-- form asks only e-mail and password, so (tenant, email_key) is unique; email_key is the address in lower case.
create table portal_users (
    id              varchar(40)  primary key,
    tenant_id       varchar(40)  not null references tenants (id),
    account_id      varchar(40)  not null,
    email           varchar(320) not null,
    email_key       varchar(320) not null,
    name            varchar(200) not null,
    role            varchar(8)   not null check (role in ('owner', 'admin', 'member')),
    password_hash   varchar(200) not null,
    active          boolean      not null,
    email_verified  boolean      not null,
    created_at      timestamp with time zone not null,
    constraint portal_users_email unique (tenant_id, email_key)
);
create index portal_users_account on portal_users (tenant_id, account_id);

-- Signed-in browsers of the portal and (later) the console. Only the SHA-256 of the cookie's 256-bit id is kept,
-- so a read of this table signs nobody in. Idle and absolute timeouts are checked against last_seen_at and created_at.
create table web_sessions (
    id_hash       varchar(64)  primary key,
    audience      varchar(16)  not null,
    tenant_id     varchar(40)  not null references tenants (id),
    user_id       varchar(40)  not null,
    csrf_token    varchar(64)  not null,
    created_at    timestamp with time zone not null,
    last_seen_at  timestamp with time zone not null
);
create index web_sessions_user on web_sessions (tenant_id, user_id);

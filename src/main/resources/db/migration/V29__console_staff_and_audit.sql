-- The operator console (issue 14, decision 041): the seller's staff sign in at /console/, per tenant.

-- Staff members of a tenant. An address signs in to one staff member per tenant: (tenant_id, email_key) is unique;
-- email_key is the address in lower case. The TOTP secret is sealed with the server's encryption key (AES-GCM, bound
-- to the member's id); totp_last_step is the last 30-second step a code was accepted for, so a code is used once.
create table staff_users (
    id              varchar(40)  primary key,
    tenant_id       varchar(40)  not null references tenants (id),
    email           varchar(320) not null,
    email_key       varchar(320) not null,
    name            varchar(200) not null,
    role            varchar(9)   not null check (role in ('owner', 'admin', 'support', 'read_only')),
    password_hash   varchar(200) not null,
    active          boolean      not null,
    totp_secret     bytea,
    totp_enabled    boolean      not null,
    totp_last_step  bigint,
    created_at      timestamp with time zone not null,
    constraint staff_users_email unique (tenant_id, email_key)
);
create index staff_users_login on staff_users (email_key);

-- Two-factor recovery codes: only their SHA-256, each usable once.
create table staff_recovery_codes (
    staff_id   varchar(40) not null references staff_users (id),
    code_hash  varchar(64) not null,
    used_at    timestamp with time zone,
    primary key (staff_id, code_hash)
);

-- Invitations sent by owners: a single-use link (only the SHA-256 of its 256-bit token kept), valid 7 days on the
-- tenant's clock. Accepting creates the staff member with the name and password typed.
create table staff_invitations (
    token_hash  varchar(64)  primary key,
    id          varchar(40)  not null,
    tenant_id   varchar(40)  not null references tenants (id),
    email       varchar(320) not null,
    email_key   varchar(320) not null,
    role        varchar(9)   not null check (role in ('admin', 'support', 'read_only')),
    invited_by  varchar(40)  not null,
    created_at  timestamp with time zone not null,
    expires_at  timestamp with time zone not null,
    used_at     timestamp with time zone
);
create index staff_invitations_email on staff_invitations (tenant_id, email_key);

-- The audit log: every staff action and every API key's successful write. Kept: nothing deletes from it.
-- actor_type is staff or api_key; before/after are small JSON objects written by the service (text, not parsed).
create table audit_log (
    id           varchar(40)   primary key,
    tenant_id    varchar(40)   not null references tenants (id),
    at           timestamp with time zone not null,
    actor_type   varchar(8)    not null check (actor_type in ('staff', 'api_key', 'system')),
    actor_id     varchar(40)   not null,
    actor_label  varchar(320)  not null,
    action       varchar(100)  not null,
    object_type  varchar(40),
    object_id    varchar(100),
    before_json  varchar(8000),
    after_json   varchar(8000)
);
create index audit_log_at on audit_log (tenant_id, at, id);
create index audit_log_actor on audit_log (tenant_id, actor_id, at);
create index audit_log_object on audit_log (tenant_id, object_id, at);
create index audit_log_action on audit_log (tenant_id, action, at);

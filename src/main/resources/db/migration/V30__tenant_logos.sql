-- The tenant's logo uploaded from the console's settings (decision 041): shown in the portal's header and, through
-- branding.logo_url, in its emails. PNG or JPEG, 256 KB at most (checked before it is stored). Served publicly at
-- /brand/{tenant id}/{sha256:16}.{png|jpg} (the hash in the name lets it be cached for good).
create table tenant_logos (
    tenant_id     varchar(40)  primary key references tenants (id),
    content_type  varchar(20)  not null check (content_type in ('image/png', 'image/jpeg')),
    sha256        varchar(64)  not null,
    bytes         bytea        not null,
    updated_at    timestamp with time zone not null
);

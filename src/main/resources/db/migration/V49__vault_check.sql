-- Decision 079: one value sealed with the encryption key, so that a start with another key (a restored copy started
-- without its key, a mistyped TOLLGATE_ENCRYPTION_KEY) is refused before it seals anything with it.
create table vault_check (
    id     smallint primary key check (id = 1),
    sealed bytea    not null
);

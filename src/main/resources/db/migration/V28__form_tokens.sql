-- Single-use form tokens (decision 040): a form whose POST must act once (issuing licenses, adding a card, paying an
-- invoice) carries a random token; the first POST of it inserts its row here, so a second POST of the same form, on
-- this node or on another behind the load balancer, finds the row and does nothing again. Only the token's SHA-256 is
-- kept. A token belongs to the session it was used in and goes with it (signing out, expiry).
create table form_tokens (
    token_hash    varchar(64)  primary key,
    session_hash  varchar(64)  not null references web_sessions (id_hash) on delete cascade,
    -- Where the first POST's answer sent the browser (for instance the new licenses' page), once it is known: a second
    -- POST of the same form is sent there too. Null while the first is still working, or when it has no such answer.
    result        varchar(500),
    used_at       timestamp with time zone not null
);
create index form_tokens_session on form_tokens (session_hash);

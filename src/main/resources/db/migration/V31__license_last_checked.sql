-- When the site last checked its key (SPEC §9, the portal's dashboard; decision 047). Validation never writes: each node
-- remembers the licenses it answered for and writes them here in one batched update a minute, at most once an hour per
-- license. Null: never checked (or not since this column exists). Not part of the license's version: the validation
-- cache ignores it.
alter table licenses add column last_checked_at timestamp with time zone;

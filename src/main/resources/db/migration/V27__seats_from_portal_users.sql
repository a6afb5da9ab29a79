-- A seats plan may count the account's active portal users as its seats (SPEC §9, decision 039):
-- seats_from = 'portal_users'; null means the subscription's seats are set through the API.
alter table plans add column seats_from varchar(20);

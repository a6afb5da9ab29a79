-- A past-due invoice runs the union of the dunning policies of the plans on it (SPEC §6; see
-- docs/decisions/023-mixed-invoices.md), fixed when it becomes past due as its policy was: a JSON object
-- {policies: [...], steps: [{after_days, action, template, backup_retention_days, policies}]}. Timeline rows name a
-- step by its place in that list. `dunning_policy` keeps the first of the policies. Null on invoices that became
-- past due before: they run `dunning_policy` alone, whose steps are the same list.
alter table invoices add column dunning_steps text;

-- The policies a step that ran comes from (a JSON array of ids); null on steps that ran before: `policy` alone.
alter table dunning_steps add column policies text;

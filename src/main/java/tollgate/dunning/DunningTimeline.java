package tollgate.dunning;

import java.util.List;

/**
 * {@code GET /v1/accounts/{id}/dunning}: the steps that ran, and those still to come with their dates — "what
 * happens if this stays unpaid". {@code inDunning}: the account has open past-due invoices.
 */
public record DunningTimeline(String object, String account, boolean inDunning, long pastDueAmount, String currency,
                              List<DunningStore.StepRun> past, List<Entitlements.UpcomingStep> upcoming) {}

package tollgate.dunning;

import java.util.List;

/**
 * What dunning did and will do to an account: the steps that ran, and those still to come with their dates — "what
 * happens if this stays unpaid". {@code inDunning}: the account has open past-due invoices. The API
 * ({@code GET /v1/accounts/{id}/dunning}) writes it as api's {@code DunningJson.TimelineJson}.
 */
public record DunningTimeline(String account, boolean inDunning, long pastDueAmount, String currency, List<StepRun> past,
                              List<Entitlements.UpcomingStep> upcoming) {}

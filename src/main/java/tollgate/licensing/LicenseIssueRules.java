package tollgate.licensing;

import tollgate.core.Problem;

/** SPEC §3: who may be issued licenses, and how many at once. */
public final class LicenseIssueRules {
    public static final int MAX_QUANTITY = 100;
    public static final int MIN_BUNDLE = 2;
    public static final int MAX_BUNDLE = 1000;

    /** What issuing needs to know about the plan, from the catalog. */
    public record PlanFacts(String id, boolean isLicensePlan, String currency) {}

    /** What issuing needs to know about the account. */
    public record AccountFacts(String id, String currency, boolean licensesBlocked, boolean hasPaymentMethod) {}

    private LicenseIssueRules() {}

    /** Why the account may not be issued the plan's licenses (422 or 402), or null when it may. */
    public static Problem refusal(AccountFacts account, PlanFacts plan) {
        if (!plan.isLicensePlan())
            return Problem.invalid("plan", "plan_type_invalid", "Plan " + plan.id() + " is not a license plan");
        if (!plan.currency().equals(account.currency()))
            return Problem.invalid("plan", "currency_mismatch",
                    "Plan " + plan.id() + " is priced in " + plan.currency() + " but the account pays in " + account.currency());
        if (!account.hasPaymentMethod())
            return new Problem(402, "payment_method_required", "Add a payment method to the account before issuing licenses", null);
        if (account.licensesBlocked())
            return new Problem(402, "licenses_blocked",
                    "New licenses are blocked because an invoice is past due; pay it to issue licenses again", null);
        return null;
    }

    public static int quantity(Integer requested) {
        int q = requested == null ? 1 : requested;
        if (q < 1 || q > MAX_QUANTITY)
            throw Problem.invalid("quantity", "parameter_invalid", "'quantity' must be between 1 and " + MAX_QUANTITY);
        return q;
    }

    public static int bundleSize(Integer requested) {
        if (requested == null) throw Problem.missing("size");
        if (requested < MIN_BUNDLE || requested > MAX_BUNDLE)
            throw Problem.invalid("size", "parameter_invalid", "'size' must be between " + MIN_BUNDLE + " and " + MAX_BUNDLE);
        return requested;
    }
}

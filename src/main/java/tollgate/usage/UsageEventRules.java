package tollgate.usage;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import tollgate.catalog.PlanType;
import tollgate.core.Problem;
import tollgate.subscriptions.Anniversary;
import tollgate.subscriptions.Subscription;

/**
 * The rules for recording usage (SPEC §10): an event is idempotent by its id within the tenant (a repeated id is
 * ignored, whatever it says: decision 096), counts a positive quantity, and belongs to a subscription of a usage plan
 * that is not canceled, at a time in its open cycle.
 */
public final class UsageEventRules {
    public static final int MAX_BATCH = 1000;
    public static final int MAX_ID_LENGTH = 255;
    /** A trillion units per event; keeps a cycle's sum far from overflowing a long. */
    public static final long MAX_QUANTITY = 1_000_000_000_000L;

    private UsageEventRules() {}

    /**
     * An event as reported. {@code at} prefixes its fields in problems: "" for a single event, "events[3]." in a
     * batch. {@code timestamp} is null when the caller left it to us (the tenant's clock). Times are kept to the
     * millisecond, as every time in Tollgate, so a repeated event compares equal to the stored one.
     */
    public record Reported(String at, String id, String subscription, long quantity, Instant timestamp) {
        public Reported {
            timestamp = timestamp == null ? null : timestamp.truncatedTo(ChronoUnit.MILLIS);
        }
    }

    /** An event as stored: what a repeat of its id is answered with. */
    public record Stored(String id, String subscription, long quantity, Instant timestamp) {}

    public static void checkShape(String at, String id, long quantity) {
        if (id.isBlank()) throw Problem.invalid(at + "id", "parameter_invalid", "'" + at + "id' must not be blank");
        if (id.length() > MAX_ID_LENGTH)
            throw Problem.invalid(at + "id", "parameter_invalid", "'" + at + "id' is longer than " + MAX_ID_LENGTH + " characters");
        if (quantity <= 0) throw Problem.invalid(at + "quantity", "parameter_invalid", "'" + at + "quantity' must be a positive integer");
        if (quantity > MAX_QUANTITY)
            throw Problem.invalid(at + "quantity", "parameter_invalid", "'" + at + "quantity' must be at most " + MAX_QUANTITY);
    }

    /** How far ahead of the tenant's clock a usage event may be stamped. */
    public static final java.time.Duration MAX_CLOCK_SKEW = java.time.Duration.ofMinutes(5);

    /**
     * The start of the cycle an event at {@code ts} counts in: the open cycle {@code [current_period_start,
     * current_period_end)}. An event after the open cycle's end is accepted only when that end has passed and the
     * billing run has not yet moved the cycle on (it counts in the cycle it falls in); billed cycles are closed. An
     * event stamped more than {@link #MAX_CLOCK_SKEW} after the clock is refused ({@code timestamp_in_future}).
     */
    public static Instant cycleOf(Reported r, Subscription s, Instant ts, Instant now, Supplier<ZoneId> zone) {
        if (s.planType() != PlanType.USAGE)
            throw Problem.invalid(r.at() + "subscription", "plan_type_invalid",
                    "Subscription " + s.id() + " is to a " + s.planType().wire() + " plan; usage is recorded for usage plans only");
        if (s.isCanceled())
            throw Problem.invalid(r.at() + "subscription", "subscription_canceled", "Subscription " + s.id() + " is canceled");
        // A meter's clock may run a little ahead of ours; more than that is a wrong stamp, not usage yet to come (as Stripe).
        if (ts.isAfter(now.plus(MAX_CLOCK_SKEW)))
            throw Problem.invalid(r.at() + "timestamp", "timestamp_in_future", "'" + r.at() + "timestamp' " + ts
                    + " is more than " + MAX_CLOCK_SKEW.toMinutes() + " minutes after the tenant's clock (" + now + ")");
        if (!ts.isBefore(s.currentPeriodStart()) && ts.isBefore(s.currentPeriodEnd())) return s.currentPeriodStart();
        boolean late = !ts.isBefore(s.currentPeriodEnd()) && !ts.isAfter(now) && !s.cancelAtPeriodEnd();
        if (!late)
            throw Problem.invalid(r.at() + "timestamp", "timestamp_outside_period", "'" + r.at() + "timestamp' " + ts
                    + " is outside the subscription's open period [" + s.currentPeriodStart() + ", " + s.currentPeriodEnd() + ")");
        Instant anchor = s.billing().anchor();
        return Anniversary.monthsAfter(anchor, zone.get(), Anniversary.monthsElapsed(anchor, zone.get(), ts));
    }
}

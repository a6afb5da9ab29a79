package tollgate.dunning;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * When each step of a policy falls due for an invoice that became past due at {@code pastDueAt}: that many calendar
 * days later in the account's time zone, at the same wall-clock time (so "day 8" stays day 8 across a DST change).
 */
public final class DunningSchedule {
    /** One step of one invoice's dunning with its date. */
    public record Dated(int index, DunningStep step, Instant dueAt) {}

    private DunningSchedule() {}

    public static List<Dated> of(DunningPolicy policy, Instant pastDueAt, ZoneId zone) {
        List<Dated> out = new ArrayList<>(policy.steps().size());
        for (int i = 0; i < policy.steps().size(); i++) {
            DunningStep step = policy.steps().get(i);
            out.add(new Dated(i, step, pastDueAt.atZone(zone).plusDays(step.afterDays()).toInstant()));
        }
        return out;
    }
}

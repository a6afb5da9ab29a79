package tollgate.dunning;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * When each step of an invoice's dunning falls due for an invoice that became past due at {@code pastDueAt}: that
 * many calendar days later in the account's time zone, at the same wall-clock time (so "day 8" stays day 8 across a
 * DST change).
 */
public final class DunningSchedule {
    /** One step of one invoice's dunning with its date and the policies it comes from. */
    public record Dated(int index, DunningStep step, List<String> policies, Instant dueAt) {}

    private DunningSchedule() {}

    public static List<Dated> of(DunningPolicy policy, Instant pastDueAt, ZoneId zone) {
        return of(MergedPolicy.of(policy), pastDueAt, zone);
    }

    public static List<Dated> of(MergedPolicy merged, Instant pastDueAt, ZoneId zone) {
        List<Dated> out = new ArrayList<>(merged.steps().size());
        for (int i = 0; i < merged.steps().size(); i++) {
            MergedPolicy.Step s = merged.steps().get(i);
            out.add(new Dated(i, s.step(), s.policies(), pastDueAt.atZone(zone).plusDays(s.step().afterDays()).toInstant()));
        }
        return out;
    }
}

package tollgate.dunning;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
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

    /**
     * The dates once the account's pauses (grace, decision 049) are applied, oldest pause first. A pause postpones, it
     * never skips: of the steps due after the instant it was set (one due at that instant was due already), the first moves to the pause's day (at its own time of
     * day) if it fell before it, and every later one moves by the same number of calendar days, so the customer gets
     * the policy's full spacing after the grace ends. A pause lifted before the invoice became past due holds nothing.
     */
    public static List<Dated> of(MergedPolicy merged, Instant pastDueAt, ZoneId zone, List<DunningPause> pauses) {
        List<Dated> out = of(merged, pastDueAt, zone);
        for (DunningPause p : pauses) {
            if (!p.holds(pastDueAt)) continue;
            Instant first = null;
            for (Dated d : out) if (d.dueAt().isAfter(p.pausedAt()) && (first == null || d.dueAt().isBefore(first))) first = d.dueAt();
            if (first == null) continue;
            long days = ChronoUnit.DAYS.between(first.atZone(zone).toLocalDate(), p.resumeOn());
            if (days <= 0) continue;
            List<Dated> moved = new ArrayList<>(out.size());
            for (Dated d : out)
                moved.add(!d.dueAt().isAfter(p.pausedAt()) ? d
                        : new Dated(d.index(), d.step(), d.policies(), d.dueAt().atZone(zone).plusDays(days).toInstant()));
            out = moved;
        }
        return out;
    }
}

package tollgate.dunning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The steps one past-due invoice runs: the union of the policies of the plans on it (decision 023). A license plan
 * and a hosting plan on one invoice each keep their own days: the licenses are still blocked on day 14 and revoked on
 * day 28 while the services are suspended on day 8 and canceled on day 15.
 *
 * <p>With one policy the union is that policy, step for step. With several, a day on which one policy alone acts runs
 * as that policy says; a day on which several act runs one charge round first (their {@code retry_payment} steps
 * merged: at most one round a day), then the other steps in the order of {@link #policies} and, inside a policy, in
 * its own order, a step already placed that day being merged rather than repeated (a {@code notify} of the same
 * template sends once; a second {@code schedule_data_deletion} keeps the longer backup retention). The round comes
 * first so that an email or a cancellation of that day waits for its outcome: paid, the invoice stops them all.
 * Each step says the policies it comes from.
 */
public record MergedPolicy(List<String> policies, List<Step> steps) {
    /** One step of the union and the policies it comes from, in {@link #policies}' order. */
    public record Step(DunningStep step, List<String> policies) {
        public Step {
            policies = List.copyOf(policies);
        }

        /** The first policy the step comes from. */
        public String policy() {
            return policies.getFirst();
        }
    }

    public MergedPolicy {
        policies = List.copyOf(policies);
        steps = List.copyOf(steps);
    }

    public static MergedPolicy of(DunningPolicy policy) {
        return of(List.of(policy));
    }

    /** The union of {@code policies}, in the order given (a policy named twice counts once). */
    public static MergedPolicy of(List<DunningPolicy> policies) {
        Map<String, DunningPolicy> byId = new LinkedHashMap<>();
        for (DunningPolicy p : policies) byId.putIfAbsent(p.id(), p);
        if (byId.isEmpty()) throw new IllegalArgumentException("an invoice follows at least one dunning policy");
        List<String> ids = List.copyOf(byId.keySet());
        List<Step> out = new ArrayList<>();
        if (ids.size() == 1) {
            for (DunningStep s : byId.get(ids.getFirst()).steps()) out.add(new Step(s, ids));
            return new MergedPolicy(ids, out);
        }
        TreeSet<Integer> days = new TreeSet<>();
        for (DunningPolicy p : byId.values()) for (DunningStep s : p.steps()) days.add(s.afterDays());
        for (int day : days) out.addAll(day(day, byId.values()));
        return new MergedPolicy(ids, out);
    }

    /** The steps of one day, from every policy that acts on it. */
    private static List<Step> day(int day, Iterable<DunningPolicy> policies) {
        Map<String, List<DunningStep>> acting = new LinkedHashMap<>();
        for (DunningPolicy p : policies)
            for (DunningStep s : p.steps())
                if (s.afterDays() == day) acting.computeIfAbsent(p.id(), k -> new ArrayList<>()).add(s);
        if (acting.size() == 1) {
            Map.Entry<String, List<DunningStep>> only = acting.entrySet().iterator().next();
            return only.getValue().stream().map(s -> new Step(s, List.of(only.getKey()))).toList();
        }
        List<Placed> placed = new ArrayList<>();
        List<String> retrying = new ArrayList<>();
        acting.forEach((policy, steps) -> {
            if (steps.stream().anyMatch(s -> s.action() == DunningAction.RETRY_PAYMENT)) retrying.add(policy);
        });
        if (!retrying.isEmpty()) placed.add(new Placed(DunningStep.of(day, DunningAction.RETRY_PAYMENT), retrying));
        acting.forEach((policy, steps) -> {
            for (DunningStep s : steps) {
                if (s.action() == DunningAction.RETRY_PAYMENT) continue;
                Placed same = placed.stream().filter(p -> sameStep(p.step, s)).findFirst().orElse(null);
                if (same == null) {
                    placed.add(new Placed(s, new ArrayList<>(List.of(policy))));
                    continue;
                }
                if (!same.policies.contains(policy)) same.policies.add(policy);
                if (s.action() == DunningAction.SCHEDULE_DATA_DELETION && retention(s) > retention(same.step)) same.step = s;
            }
        });
        return placed.stream().map(p -> new Step(p.step, p.policies)).toList();
    }

    /** Two steps of one day that do one thing: the same action, and for notify the same template. */
    private static boolean sameStep(DunningStep a, DunningStep b) {
        return a.action() == b.action() && Objects.equals(a.template(), b.template());
    }

    private static int retention(DunningStep s) {
        return s.backupRetentionDays() == null ? 0 : s.backupRetentionDays();
    }

    /** A step being placed on its day, while later policies may still merge into it. */
    private static final class Placed {
        DunningStep step;
        final List<String> policies;

        Placed(DunningStep step, List<String> policies) {
            this.step = step;
            this.policies = policies;
        }
    }
}

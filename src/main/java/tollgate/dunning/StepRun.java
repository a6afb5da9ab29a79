package tollgate.dunning;

import java.time.Instant;
import java.util.List;

/** A dunning step that ran: {@code policy} is the first of the {@code policies} it comes from. */
public record StepRun(String invoice, String policy, int step, int afterDays, String action, String template,
                      Instant dueAt, Instant ranAt, String outcome, List<String> policies) {
    public StepRun(String invoice, String policy, int step, int afterDays, String action, String template,
                   Instant dueAt, Instant ranAt, String outcome) {
        this(invoice, policy, step, afterDays, action, template, dueAt, ranAt, outcome, List.of(policy));
    }
}

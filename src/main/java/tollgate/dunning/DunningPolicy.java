package tollgate.dunning;

import java.time.Instant;
import java.util.List;

/**
 * A tenant's dunning policy (SPEC §6): steps in order of {@code afterDays}; steps on the same day run in the order
 * given. A built-in policy's id is its name ({@code licenses_default}, {@code hosting_default}) and it has no
 * creation time.
 */
public record DunningPolicy(String id, String name, List<DunningStep> steps, boolean builtIn, Instant createdAt) {
    public DunningPolicy {
        steps = List.copyOf(steps);
    }
}

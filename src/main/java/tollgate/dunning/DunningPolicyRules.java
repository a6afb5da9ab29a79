package tollgate.dunning;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import tollgate.core.Ids;
import tollgate.core.Problem;

/**
 * The rules for a tenant's own dunning policy (SPEC §6), checked before anything is written: a name that is not a
 * built-in's, 1 to 50 steps whose days never go back, known actions, and each action's own field only
 * ({@code template} for notify, {@code backup_retention_days} for schedule_data_deletion). Same-day steps keep the
 * order given: "retry, then email if it failed" is two steps of one day, and their order is the caller's meaning.
 * See docs/decisions/013-dunning-policies.md.
 */
public final class DunningPolicyRules {
    public static final int MAX_NAME_LENGTH = 100;
    public static final int MAX_STEPS = 50;
    public static final int MAX_DAYS = 365;
    private static final Pattern TEMPLATE = Pattern.compile("[a-z0-9_]{1,60}");

    /** A policy as the caller asked for it: every field may be missing (null) or wrong. */
    public record Draft(String name, List<StepDraft> steps) {}

    /** One step as asked for; names follow the API. */
    public record StepDraft(Integer afterDays, String action, String template, Integer backupRetentionDays) {}

    private DunningPolicyRules() {}

    public static DunningPolicy define(Draft d, Instant now) {
        String name = name(d.name());
        return new DunningPolicy(Ids.next("dpol"), name, steps(d.steps()), false, now);
    }

    private static String name(String name) {
        if (name == null) throw Problem.missing("name");
        if (name.isBlank()) throw Problem.invalid("name", "parameter_invalid", "'name' must not be blank");
        String stripped = name.strip();
        if (stripped.length() > MAX_NAME_LENGTH)
            throw Problem.invalid("name", "parameter_invalid", "'name' is longer than " + MAX_NAME_LENGTH + " characters");
        // A built-in is named by its name wherever a policy is chosen; a tenant's policy of that name would read as it.
        if (BuiltInPolicies.named(stripped).isPresent())
            throw Problem.invalid("name", "policy_name_reserved", "'" + stripped + "' is the name of a built-in policy");
        return stripped;
    }

    private static List<DunningStep> steps(List<StepDraft> drafts) {
        if (drafts == null) throw Problem.missing("steps");
        if (drafts.isEmpty() || drafts.size() > MAX_STEPS)
            throw Problem.invalid("steps", "parameter_invalid", "'steps' must have between 1 and " + MAX_STEPS + " steps");
        List<DunningStep> steps = new ArrayList<>(drafts.size());
        int previousDays = 0;
        for (int i = 0; i < drafts.size(); i++) {
            StepDraft s = drafts.get(i);
            String at = "steps[" + i + "].";
            if (s.afterDays() == null) throw Problem.missing(at + "after_days");
            int days = s.afterDays();
            if (days < 0 || days > MAX_DAYS)
                throw Problem.invalid(at + "after_days", "parameter_invalid", "'" + at + "after_days' must be between 0 and " + MAX_DAYS);
            if (days < previousDays)
                throw Problem.invalid(at + "after_days", "steps_unordered",
                        "'" + at + "after_days' (" + days + ") comes before the previous step's (" + previousDays + "); list steps by day");
            previousDays = days;

            if (s.action() == null) throw Problem.missing(at + "action");
            DunningAction action = DunningAction.parse(s.action()).orElseThrow(() -> Problem.invalid(at + "action", "action_unknown",
                    "'" + at + "action' must be one of retry_payment, notify, block_new_licenses, suspend_services, "
                            + "cancel_services, revoke_all_licenses, schedule_data_deletion"));
            steps.add(new DunningStep(days, action, template(at, action, s.template()),
                    backupRetentionDays(at, action, s.backupRetentionDays())));
        }
        return steps;
    }

    private static String template(String at, DunningAction action, String template) {
        if (action != DunningAction.NOTIFY) {
            if (template != null) throw notAllowed(at + "template", "only a notify step has a 'template'");
            return null;
        }
        if (template == null) throw Problem.invalid(at + "template", "template_required", "A notify step needs '" + at + "template'");
        if (!TEMPLATE.matcher(template).matches())
            throw Problem.invalid(at + "template", "parameter_invalid",
                    "'" + at + "template' must be 1 to 60 lower-case letters, digits or underscores");
        return template;
    }

    private static Integer backupRetentionDays(String at, DunningAction action, Integer days) {
        if (action != DunningAction.SCHEDULE_DATA_DELETION) {
            if (days != null) throw notAllowed(at + "backup_retention_days", "only a schedule_data_deletion step keeps backups");
            return null;
        }
        if (days == null) return 0;
        if (days < 0 || days > MAX_DAYS)
            throw Problem.invalid(at + "backup_retention_days", "parameter_invalid",
                    "'" + at + "backup_retention_days' must be between 0 and " + MAX_DAYS);
        return days;
    }

    private static Problem notAllowed(String field, String why) {
        return Problem.invalid(field, "field_not_allowed", "'" + field + "' is not allowed here: " + why);
    }
}

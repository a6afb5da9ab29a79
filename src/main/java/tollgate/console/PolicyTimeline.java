package tollgate.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tollgate.dunning.DunningAction;
import tollgate.dunning.DunningPolicyRules.StepDraft;
import tollgate.dunning.DunningStep;

/**
 * A dunning policy told in words, day by day, as the policy editor previews it and a policy's page shows it: "Day 0:
 * email 1. Day 3: retry the card, then email 2. Day 8: …, then suspend every service." Steps of one day are joined in
 * the order they run (the order given, decision 013). Words only: whether the steps make a valid policy is
 * {@code DunningPolicyRules}' answer, shown beside them.
 */
final class PolicyTimeline {
    private static final Pattern NUMBERED = Pattern.compile("payment_failed_(\\d+)");

    private PolicyTimeline() {}

    static List<CatalogViews.Line> of(List<DunningStep> steps) {
        return lines(steps.stream().map(s -> new StepDraft(s.afterDays(), s.action().wire(), s.template(), s.backupRetentionDays())).toList());
    }

    /** The steps as typed (a step without its day is left out: it has no place in time yet). */
    static List<CatalogViews.Line> lines(List<StepDraft> steps) {
        List<CatalogViews.Line> out = new ArrayList<>();
        Integer day = null;
        List<String> doing = new ArrayList<>();
        for (StepDraft s : steps) {
            if (s.afterDays() == null) continue;
            if (day != null && !day.equals(s.afterDays())) {
                out.add(line(day, doing));
                doing = new ArrayList<>();
            }
            day = s.afterDays();
            doing.add(words(s));
        }
        if (day != null) out.add(line(day, doing));
        return out;
    }

    private static CatalogViews.Line line(int day, List<String> doing) {
        String text = String.join(", then ", doing);
        return new CatalogViews.Line("Day " + day, Character.toUpperCase(text.charAt(0)) + text.substring(1) + ".");
    }

    /** What one step does, in the words a person would say it. */
    static String words(StepDraft s) {
        Optional<DunningAction> action = DunningAction.parse(s.action() == null ? "" : s.action());
        if (action.isEmpty()) return "(choose what happens)";
        return switch (action.get()) {
            case RETRY_PAYMENT -> "retry the card";
            case NOTIFY -> email(s.template());
            case BLOCK_NEW_LICENSES -> "block new licenses";
            case SUSPEND_SERVICES -> "suspend every service";
            case CANCEL_SERVICES -> "cancel every service";
            case REVOKE_ALL_LICENSES -> "revoke every license";
            case SCHEDULE_DATA_DELETION -> {
                int keep = s.backupRetentionDays() == null ? 0 : s.backupRetentionDays();
                yield "schedule the data's deletion" + (keep == 0 ? ", keeping no backups"
                        : ", keeping backups " + keep + (keep == 1 ? " more day" : " more days"));
            }
        };
    }

    private static String email(String template) {
        if (template == null || template.isBlank()) return "send an email (name its template)";
        Matcher m = NUMBERED.matcher(template);
        if (m.matches()) return "email " + m.group(1);
        if (template.equals("invoice_unpaid")) return "email that the invoice is unpaid";
        return "send the email “" + template + "”";
    }
}

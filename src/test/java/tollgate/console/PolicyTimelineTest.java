package tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tollgate.dunning.BuiltInPolicies;
import tollgate.dunning.DunningPolicyRules.StepDraft;

/** A dunning policy's timeline in words (decision 048): one line a day, same-day steps in the order they run. */
class PolicyTimelineTest {
    private static List<String> said(List<CatalogViews.Line> lines) {
        return lines.stream().map(l -> l.day() + ": " + l.text()).toList();
    }

    @Test
    void theBuiltInPoliciesReadAsTheirTablesInDecision013() {
        assertThat(said(PolicyTimeline.of(BuiltInPolicies.HOSTING.steps()))).containsExactly(
                "Day 0: Email 1.",
                "Day 3: Retry the card, then email 2.",
                "Day 8: Retry the card, then email 3, then suspend every service.",
                "Day 15: Retry the card, then cancel every service, then schedule the data's deletion, keeping backups 14 more days.");
        assertThat(said(PolicyTimeline.of(BuiltInPolicies.LICENSES.steps()))).containsExactly(
                "Day 0: Email that the invoice is unpaid.", "Day 14: Block new licenses.", "Day 28: Revoke every license.");
    }

    @Test
    void stepsAsTypedAreToldEvenBeforeTheyMakeAPolicy() {
        List<StepDraft> typed = Arrays.asList(new StepDraft(0, "retry_payment", null, null), new StepDraft(null, "notify", "x", null),
                new StepDraft(2, "notify", null, null), new StepDraft(2, "nonsense", null, null),
                new StepDraft(30, "schedule_data_deletion", null, null), new StepDraft(31, "notify", "welcome_back", null));
        assertThat(said(PolicyTimeline.lines(typed))).containsExactly("Day 0: Retry the card.",
                "Day 2: Send an email (name its template), then (choose what happens).",
                "Day 30: Schedule the data's deletion, keeping no backups.", "Day 31: Send the email “welcome_back”.");
    }
}

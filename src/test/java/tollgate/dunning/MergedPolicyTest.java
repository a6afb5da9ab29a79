package tollgate.dunning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tollgate.dunning.DunningAction.BLOCK_NEW_LICENSES;
import static tollgate.dunning.DunningAction.CANCEL_SERVICES;
import static tollgate.dunning.DunningAction.RETRY_PAYMENT;
import static tollgate.dunning.DunningAction.REVOKE_ALL_LICENSES;
import static tollgate.dunning.DunningAction.SCHEDULE_DATA_DELETION;
import static tollgate.dunning.DunningAction.SUSPEND_SERVICES;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The union of the policies of one invoice's plans (decision 023), as pure step lists. */
class MergedPolicyTest {
    private static final String L = BuiltInPolicies.LICENSES_DEFAULT;
    private static final String H = BuiltInPolicies.HOSTING_DEFAULT;

    private static DunningStep email(int day, String template) {
        return DunningStep.notify(day, template);
    }

    private static DunningStep step(int day, DunningAction action) {
        return DunningStep.of(day, action);
    }

    private static DunningPolicy policy(String id, DunningStep... steps) {
        return new DunningPolicy(id, id, List.of(steps), false, null);
    }

    /** One step of the union, written as "day action[ template][ retention] <- policies". */
    private static List<String> written(MergedPolicy m) {
        return m.steps().stream().map(s -> s.step().afterDays() + " " + s.step().action().wire()
                + (s.step().template() == null ? "" : " " + s.step().template())
                + (s.step().backupRetentionDays() == null ? "" : " " + s.step().backupRetentionDays())
                + " <- " + String.join(",", s.policies())).toList();
    }

    @Test
    void oneLicensePlanAndOneHostingPlanKeepEachPolicysOwnDays() {
        MergedPolicy m = MergedPolicy.of(List.of(BuiltInPolicies.LICENSES, BuiltInPolicies.HOSTING));
        assertThat(m.policies()).containsExactly(L, H);
        assertThat(written(m)).containsExactly(
                "0 notify invoice_unpaid <- " + L,
                "0 notify payment_failed_1 <- " + H,
                "3 retry_payment <- " + H,
                "3 notify payment_failed_2 <- " + H,
                "8 retry_payment <- " + H,
                "8 notify payment_failed_3 <- " + H,
                "8 suspend_services <- " + H,
                "14 block_new_licenses <- " + L,
                "15 retry_payment <- " + H,
                "15 cancel_services <- " + H,
                "15 schedule_data_deletion 14 <- " + H,
                "28 revoke_all_licenses <- " + L);
    }

    @Test
    void sameDayRetriesAreOneRoundTakenFirstAndTheSameEmailIsSentOnce() {
        DunningPolicy a = policy("dpol_a", email(0, "payment_failed_1"), step(3, RETRY_PAYMENT), email(3, "payment_failed_2"),
                step(14, BLOCK_NEW_LICENSES));
        // b emails before its retry on day 3, and suspends before retrying on day 8.
        DunningPolicy b = policy("dpol_b", email(0, "payment_failed_1"), email(3, "reminder"), step(3, RETRY_PAYMENT),
                email(3, "payment_failed_2"), step(8, SUSPEND_SERVICES), step(8, RETRY_PAYMENT));
        assertThat(written(MergedPolicy.of(List.of(a, b)))).containsExactly(
                "0 notify payment_failed_1 <- dpol_a,dpol_b",
                "3 retry_payment <- dpol_a,dpol_b",
                "3 notify payment_failed_2 <- dpol_a,dpol_b",
                "3 notify reminder <- dpol_b",
                // A day of one policy runs as that policy says, its own order kept.
                "8 suspend_services <- dpol_b",
                "8 retry_payment <- dpol_b",
                "14 block_new_licenses <- dpol_a");
        // The other order of plans changes which policy leads a day, not what runs.
        assertThat(written(MergedPolicy.of(List.of(b, a)))).containsExactly(
                "0 notify payment_failed_1 <- dpol_b,dpol_a",
                "3 retry_payment <- dpol_b,dpol_a",
                "3 notify reminder <- dpol_b",
                "3 notify payment_failed_2 <- dpol_b,dpol_a",
                "8 suspend_services <- dpol_b",
                "8 retry_payment <- dpol_b",
                "14 block_new_licenses <- dpol_a");
    }

    @Test
    void identicalActionsOfOneDayMergeAndTheLongerBackupRetentionWins() {
        DunningPolicy a = policy("dpol_a", step(15, CANCEL_SERVICES), new DunningStep(15, SCHEDULE_DATA_DELETION, null, 14),
                step(28, REVOKE_ALL_LICENSES));
        DunningPolicy b = policy("dpol_b", step(15, RETRY_PAYMENT), new DunningStep(15, SCHEDULE_DATA_DELETION, null, 30),
                step(15, CANCEL_SERVICES), step(28, REVOKE_ALL_LICENSES), step(28, SUSPEND_SERVICES));
        assertThat(written(MergedPolicy.of(List.of(a, b)))).containsExactly(
                "15 retry_payment <- dpol_b",
                "15 cancel_services <- dpol_a,dpol_b",
                "15 schedule_data_deletion 30 <- dpol_a,dpol_b",
                "28 revoke_all_licenses <- dpol_a,dpol_b",
                "28 suspend_services <- dpol_b");
    }

    @Test
    void onePolicyIsItselfStepForStepAndAPolicyNamedTwiceCountsOnce() {
        // Two retries on one day and a notify before its retry: a policy alone keeps what its author wrote.
        DunningPolicy odd = policy("dpol_odd", email(2, "heads_up"), step(2, RETRY_PAYMENT), step(2, RETRY_PAYMENT),
                step(2, CANCEL_SERVICES));
        for (MergedPolicy m : List.of(MergedPolicy.of(odd), MergedPolicy.of(List.of(odd, odd)))) {
            assertThat(m.policies()).containsExactly("dpol_odd");
            assertThat(m.steps().stream().map(MergedPolicy.Step::step).toList()).isEqualTo(odd.steps());
            assertThat(m.steps()).allSatisfy(s -> assertThat(s.policies()).containsExactly("dpol_odd"));
        }
        assertThat(MergedPolicy.of(BuiltInPolicies.HOSTING).steps().stream().map(MergedPolicy.Step::step).toList())
                .isEqualTo(BuiltInPolicies.HOSTING.steps());
        assertThatThrownBy(() -> MergedPolicy.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}

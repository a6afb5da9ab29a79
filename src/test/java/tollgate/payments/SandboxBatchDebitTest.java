package tollgate.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.core.Ids;
import tollgate.testing.TestClocks;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * The sandbox's batch debit (decision 056): one ledger transaction for many charges, answering each as {@link
 * SandboxGateway#debit} would, and keeping the ledger's promise — each idempotency key recorded once, a repeated key
 * answered with its first answer, whether it was first asked alone, in an earlier batch, or twice in one batch.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class SandboxBatchDebitTest {
    @Parameter
    TestDatabase database;

    private SandboxGateway sandbox() {
        return new SandboxGateway(new SandboxLedger(TestServer.on(database).app.db, TestClocks.SYSTEM));
    }

    private long recorded(List<String> keys) {
        return TestServer.on(database).app.db.dsl().fetchOne("select count(*) from sandbox_charges where idempotency_key in ("
                + tollgate.core.Sql.placeholders(keys.size()) + ")", keys.toArray()).get(0, Long.class);
    }

    private static DebitRequest request(String key, String card, String token) {
        return new DebitRequest(key, card, token, 900, "usd", "Invoice test");
    }

    @Test
    void aBatchAnswersEachChargeByItsTokenAndRecordsEachKeyOnce() {
        SandboxGateway sandbox = sandbox();
        List<DebitRequest> requests = new ArrayList<>();
        for (int i = 0; i < 40; i++)
            requests.add(request("k_" + Ids.next("t"), "pm_" + Ids.next("t"), i % 4 == 0 ? "tok_chargeDeclinedInsufficientFunds" : "tok_visa"));
        List<DebitResult> answers = sandbox.debitAll(requests);
        assertThat(answers).hasSize(40);
        for (int i = 0; i < 40; i++) {
            if (i % 4 == 0) assertThat(answers.get(i).declineReason()).isEqualTo("insufficient_funds");
            else assertThat(answers.get(i).succeeded()).isTrue();
        }
        assertThat(answers.stream().map(DebitResult::gatewayId).distinct()).hasSize(40);
        List<String> keys = requests.stream().map(DebitRequest::idempotencyKey).toList();
        assertThat(recorded(keys)).isEqualTo(40);

        // Asked again, alone or in a batch, every key gets its first answer and nothing more is recorded.
        assertThat(sandbox.debitAll(requests)).isEqualTo(answers);
        for (int i = 0; i < 40; i += 7) assertThat(sandbox.debit(requests.get(i))).isEqualTo(answers.get(i));
        assertThat(recorded(keys)).isEqualTo(40);
    }

    @Test
    void aKeyAnsweredAloneBeforeKeepsThatAnswerInABatchAndTheOthersAreStillRecorded() {
        SandboxGateway sandbox = sandbox();
        DebitRequest first = request("k_" + Ids.next("t"), "pm_" + Ids.next("t"), "tok_visa");
        DebitResult alone = sandbox.debit(first);
        DebitRequest other = request("k_" + Ids.next("t"), "pm_" + Ids.next("t"), "tok_visa");
        List<DebitResult> answers = sandbox.debitAll(List.of(other, first));
        assertThat(answers.get(1)).isEqualTo(alone);
        assertThat(answers.get(0).succeeded()).isTrue();
        assertThat(answers.get(0).gatewayId()).isNotEqualTo(alone.gatewayId());
        assertThat(recorded(List.of(first.idempotencyKey(), other.idempotencyKey()))).isEqualTo(2);
    }

    @Test
    void oneKeyTwiceInOneBatchIsChargedOnce() {
        DebitRequest twice = request("k_" + Ids.next("t"), "pm_" + Ids.next("t"), "tok_visa");
        List<DebitResult> answers = sandbox().debitAll(List.of(twice, twice));
        assertThat(answers.get(0)).isEqualTo(answers.get(1));
        assertThat(recorded(List.of(twice.idempotencyKey()))).isEqualTo(1);
    }

    @Test
    void aCardThatDeclinesItsFirstChargeOnlyCountsTheChargesOfTheSameBatch() {
        SandboxGateway sandbox = sandbox();
        String card = "pm_" + Ids.next("t");
        List<DebitResult> answers = sandbox.debitAll(List.of(request("k_" + Ids.next("t"), card, "tok_chargeDeclinedOnce"),
                request("k_" + Ids.next("t"), card, "tok_chargeDeclinedOnce")));
        assertThat(answers.get(0).declineReason()).isEqualTo("generic_decline");
        assertThat(answers.get(1).succeeded()).isTrue();
        // And the ledger's count carries on into the next batch.
        assertThat(sandbox.debitAll(List.of(request("k_" + Ids.next("t"), card, "tok_chargeDeclinedOnce"))).getFirst().succeeded()).isTrue();
    }

    @Test
    void aBatchHoldingAKeyAnotherCallerRecordedFirstRecordsNothingSoEachIsThenAskedAlone() {
        SandboxLedger ledger = new SandboxLedger(TestServer.on(database).app.db, TestClocks.SYSTEM);
        String raced = "k_" + Ids.next("t");
        String fresh = "k_" + Ids.next("t");
        SandboxLedger.Entry first = ledger.record(raced, "pm_x", "tok_visa", 900, "usd", new SandboxLedger.Entry("declined", "card_declined", "ch_first"));
        // As if the batch had read the ledger before the other caller wrote: its write is refused whole.
        boolean recorded = ledger.recordAll(List.of(
                new SandboxLedger.NewCharge(fresh, "pm_y", "tok_visa", 900, "usd", new SandboxLedger.Entry("succeeded", null, "ch_a")),
                new SandboxLedger.NewCharge(raced, "pm_x", "tok_visa", 900, "usd", new SandboxLedger.Entry("succeeded", null, "ch_b"))));
        assertThat(recorded).isFalse();
        assertThat(recorded(List.of(fresh))).isZero();
        assertThat(ledger.find(raced)).contains(first);
        // The gateway then answers the raced key with the first caller's answer.
        List<DebitResult> answers = new SandboxGateway(ledger).debitAll(List.of(request(fresh, "pm_y", "tok_visa"), request(raced, "pm_x", "tok_visa")));
        assertThat(answers.get(1)).isEqualTo(DebitResult.declined("ch_first", "card_declined"));
        assertThat(answers.get(0).succeeded()).isTrue();
    }
}

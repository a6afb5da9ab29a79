package tollgate.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Dunned;
import tollgate.testing.Dunned.Attempt;
import tollgate.testing.Dunned.Inv;
import tollgate.testing.Fixtures;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Decision 056: the first charges of invoices issued together run as one batch — locked together, the sandbox asked
 * once for all of them, the paid ones written together — and each invoice ends as its own round would have ended it:
 * paid ones with one payment, one {@code invoice.paid} and one receipt each; a declined first card going on to the
 * account's next card; a card that declines its first charge, and an account without a card, into dunning.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class FirstChargesInOneBatchTest {
    private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");
    /** Where the month's licenses are billed, every account's at once. */
    private static final String FIRST = "2030-02-01T00:00:00Z";

    @Parameter
    TestDatabase database;

    private ApiClient api;
    private String plan;

    /** An account whose cards are attached in this order (the first is primary), with a license billed on the 1st. */
    private Dunned licensed(String name, String... cards) {
        String account = api.newAccount(name, "usd", "UTC");
        Dunned watch = new Dunned(api, account);
        for (int i = 0; i < cards.length; i++) watch.name(Fixtures.attachCard(api, account, cards[i]), "card" + i);
        Res issued = Fixtures.issue(api, account, plan, 1);
        assertThat(issued.status()).as(issued.text()).isEqualTo(200);
        return watch;
    }

    /** The account's one invoice, named "invoice"; answers its total. */
    private long invoiced(Dunned watch) {
        JsonNode invoices = api.get("/v1/accounts/" + watch.account + "/invoices").json().get("data");
        assertThat(invoices).hasSize(1);
        watch.name(invoices.get(0).get("id").asText(), "invoice");
        return invoices.get(0).get("total").asLong();
    }

    private long events(Dunned watch, String type) {
        return api.get("/v1/events?type=" + type + "&account=" + watch.account + "&limit=100").json().get("data").size();
    }

    private List<String> receipts(Dunned watch) {
        return watch.notes().stream().filter(n -> n.template().equals("invoice_paid")).map(Dunned.Note::invoice).toList();
    }

    private JsonNode payments(Dunned watch) {
        return api.get("/v1/invoices/" + watch.id("invoice") + "/payments").json().get("data");
    }

    @Test
    void invoicesChargedInOneBatchEndAsTheirOwnRoundsWould() {
        api = Scenario.tenantAt(TestServer.on(database), NOW);
        Res created = api.post("/v1/plans", "{\"name\":\"License\",\"type\":\"license\",\"currency\":\"usd\",\"amount\":900}");
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        plan = created.str("id");
        List<Dunned> paying = List.of(licensed("Visa", "tok_visa"), licensed("Mastercard", "tok_mastercard"),
                licensed("Visa again", "tok_visa"));
        Dunned secondCard = licensed("Second card", "tok_chargeDeclined", "tok_visa");
        Dunned declinesOnce = licensed("Declines once", "tok_chargeDeclinedOnce");
        // Issuing a license needs a card; this account's is detached before the 1st.
        Dunned noCard = licensed("No card", "tok_visa");
        assertThat(api.delete("/v1/payment_methods/" + noCard.id("card0")).status()).isEqualTo(200);

        // Every account is billed on the 1st in one run, and every invoice's first charge falls due at that instant.
        Res advanced = api.post("/v1/test_clock/advance", "{\"to\":\"" + FIRST + "\"}");
        assertThat(advanced.status()).as(advanced.text()).isEqualTo(200);
        long total = invoiced(paying.get(0));
        assertThat(total).isPositive();
        for (Dunned w : List.of(paying.get(1), paying.get(2), secondCard, declinesOnce, noCard)) assertThat(invoiced(w)).isEqualTo(total);

        for (Dunned w : paying) {
            assertThat(w.attempts("invoice")).containsExactly(new Attempt(1, 0, "card0", total, "succeeded", null, "issue", FIRST));
            assertThat(w.invoice("invoice")).isEqualTo(new Inv("paid", total, 0, 1, null));
            assertThat(payments(w)).hasSize(1);
            assertThat(payments(w).get(0).get("amount").asLong()).isEqualTo(total);
            assertThat(events(w, "invoice.paid")).isEqualTo(1);
            assertThat(receipts(w)).containsExactly("invoice");
            assertThat(w.timeline().get("in_dunning").asBoolean()).isFalse();
        }
        assertThat(secondCard.attempts("invoice")).containsExactly(
                new Attempt(1, 0, "card0", total, "declined", "generic_decline", "issue", FIRST),
                new Attempt(1, 1, "card1", total, "succeeded", null, "issue", FIRST));
        assertThat(secondCard.invoice("invoice")).isEqualTo(new Inv("paid", total, 0, 1, null));
        assertThat(payments(secondCard)).hasSize(1);
        assertThat(events(secondCard, "invoice.paid")).isEqualTo(1);
        assertThat(receipts(secondCard)).containsExactly("invoice");

        assertThat(declinesOnce.attempts("invoice")).containsExactly(
                new Attempt(1, 0, "card0", total, "declined", "generic_decline", "issue", FIRST));
        assertThat(declinesOnce.invoice("invoice").status()).isEqualTo("open");
        assertThat(declinesOnce.invoice("invoice").attemptCount()).isEqualTo(1);
        assertThat(payments(declinesOnce)).isEmpty();
        assertThat(receipts(declinesOnce)).isEmpty();
        assertThat(declinesOnce.timeline().get("in_dunning").asBoolean()).isTrue();

        assertThat(noCard.attempts("invoice")).isEmpty();
        assertThat(noCard.invoice("invoice").status()).isEqualTo("open");
        assertThat(noCard.timeline().get("in_dunning").asBoolean()).isTrue();

        // Each charge in the sandbox's own ledger exactly once, under its attempt's key.
        DebitCount counted = new DebitCount();
        for (Dunned w : List.of(paying.get(0), paying.get(1), paying.get(2), secondCard, declinesOnce))
            for (JsonNode a : api.get("/v1/invoices/" + w.id("invoice") + "/payment_attempts").json().get("data"))
                counted.add(a.get("id").asText());
        assertThat(counted.ledgerEntries()).isEqualTo(counted.attempts);
    }

    /** The attempts seen, and how many sandbox ledger entries their keys have (the key is {@code tollgate_} + the id). */
    private final class DebitCount {
        private final java.util.List<String> keys = new java.util.ArrayList<>();
        long attempts;

        void add(String attemptId) {
            keys.add("tollgate_" + attemptId);
            attempts++;
        }

        long ledgerEntries() {
            return TestServer.on(database).app.db.dsl().fetchOne("select count(*) from sandbox_charges where idempotency_key in ("
                    + tollgate.core.Sql.placeholders(keys.size()) + ")", keys.toArray()).get(0, Long.class);
        }
    }
}

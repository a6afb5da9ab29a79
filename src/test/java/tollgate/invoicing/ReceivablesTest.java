package tollgate.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.core.Problem;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;
import tollgate.tenants.Ctx;

/**
 * Decision 029: invoicing's door for payments and dunning writes the invoice and emits {@code invoice.*} itself, inside
 * the caller's transaction (what the caller rolls back is not written, no event either).
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class ReceivablesTest {
    private static final Instant NOW = Instant.parse("2030-03-10T10:00:00Z");

    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;
    Receivables receivables;
    String invoiceId;

    /** An invoice of 100.00 sent to be paid in 30 days: open, nothing charged, nothing scheduled before its due date. */
    @BeforeEach
    void openInvoice() {
        server = TestServer.on(database);
        api = Scenario.tenantAt(server, NOW);
        receivables = server.app.receivables;
        String account = api.newAccount("By wire", "usd", "UTC");
        Res draft = api.post("/v1/accounts/" + account + "/invoices", "{\"lines\":[{\"description\":\"Security audit\",\"amount\":10000}],"
                + "\"collection_method\":\"send_invoice\",\"days_until_due\":30}");
        assertThat(draft.status()).as(draft.text()).isEqualTo(200);
        invoiceId = draft.str("id");
        assertThat(api.post("/v1/invoices/" + invoiceId + "/finalize", null).status()).isEqualTo(200);
    }

    private JsonNode invoice() {
        return api.get("/v1/invoices/" + invoiceId).json();
    }

    private int events(String type) {
        return api.get("/v1/events?type=" + type + "&limit=100").json().get("data").size();
    }

    @Test
    void aPartPaymentIsRecordedAsAnUpdateAndTheRestAsPaid() {
        int updatedBefore = events("invoice.updated");
        server.app.db.tx(tx -> {
            Invoice open = receivables.lock(new Ctx(tx, api.tenant, NOW), invoiceId).orElseThrow();
            receivables.markPaid(new Ctx(tx, api.tenant, NOW), open.paid(4000));
            return null;
        });
        JsonNode part = invoice();
        assertThat(part.get("status").asText()).isEqualTo("open");
        assertThat(part.get("amount_paid").asLong()).isEqualTo(4000);
        assertThat(part.get("amount_due").asLong()).isEqualTo(6000);
        assertThat(events("invoice.updated")).isEqualTo(updatedBefore + 1);
        assertThat(events("invoice.paid")).isZero();

        server.app.db.tx(tx -> {
            Invoice open = receivables.lockOrNotFound(new Ctx(tx, api.tenant, NOW), invoiceId);
            receivables.markPaid(new Ctx(tx, api.tenant, NOW), open.paid(6000));
            return null;
        });
        JsonNode paid = invoice();
        assertThat(paid.get("status").asText()).isEqualTo("paid");
        assertThat(paid.get("amount_due").asLong()).isZero();
        assertThat(events("invoice.paid")).isEqualTo(1);
    }

    @Test
    void nothingIsWrittenWhenTheCallersTransactionRollsBack() {
        assertThatThrownBy(() -> server.app.db.tx(tx -> {
            Invoice open = receivables.lock(new Ctx(tx, api.tenant, NOW), invoiceId).orElseThrow();
            receivables.recordAttempts(new Ctx(tx, api.tenant, NOW), open.attempted(2, Instant.parse("2030-03-13T10:00:00Z")));
            receivables.markPaid(new Ctx(tx, api.tenant, NOW), open.paid(10000));
            throw new IllegalStateException("the caller changes its mind");
        })).hasMessageContaining("changes its mind");
        JsonNode still = invoice();
        assertThat(still.get("status").asText()).isEqualTo("open");
        assertThat(still.get("attempt_count").asInt()).isZero();
        assertThat(events("invoice.paid")).isZero();
    }

    @Test
    void attemptsAreRecordedOnTheOpenInvoice() {
        server.app.db.tx(tx -> {
            Invoice open = receivables.lock(new Ctx(tx, api.tenant, NOW), invoiceId).orElseThrow();
            receivables.recordAttempts(new Ctx(tx, api.tenant, NOW), open.attempted(1, Instant.parse("2030-03-13T10:00:00Z")));
            return null;
        });
        JsonNode after = invoice();
        assertThat(after.get("attempt_count").asInt()).isEqualTo(1);
        assertThat(after.get("next_payment_attempt").asText()).isEqualTo("2030-03-13T10:00:00Z");
    }

    @Test
    void anInvoiceBecomesPastDueOnceAndSaysSo() {
        Instant next = Instant.parse("2030-03-13T10:00:00Z");
        boolean first = server.app.db.tx(tx -> {
            Invoice open = receivables.lock(new Ctx(tx, api.tenant, NOW), invoiceId).orElseThrow();
            boolean marked = receivables.markPastDue(new Ctx(tx, api.tenant, NOW), invoiceId, NOW, "hosting_default", null);
            receivables.pastDue(new Ctx(tx, api.tenant, NOW), open.attempted(0, next), java.util.List.of("hosting_default"));
            return marked;
        });
        boolean again = server.app.db.tx(tx -> receivables.markPastDue(new Ctx(tx, api.tenant, NOW), invoiceId, NOW.plusSeconds(60), "other", null));
        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(invoice().get("next_payment_attempt").asText()).isEqualTo("2030-03-13T10:00:00Z");
        JsonNode event = api.get("/v1/events?type=invoice.past_due").json().at("/data/0/data");
        assertThat(event.get("invoice").asText()).isEqualTo(invoiceId);
        assertThat(event.get("policy").asText()).isEqualTo("hosting_default");
        assertThat(event.get("past_due_at").asText()).isEqualTo("2030-03-10T10:00:00Z");
        assertThat(event.get("amount_due").asLong()).isEqualTo(10000);
    }

    @Test
    void aFailedRoundIsCountedAndTold() {
        server.app.db.tx(tx -> {
            Invoice open = receivables.lock(new Ctx(tx, api.tenant, NOW), invoiceId).orElseThrow();
            receivables.paymentFailed(new Ctx(tx, api.tenant, NOW), open.attempted(1, null), "retry", "insufficient_funds");
            return null;
        });
        assertThat(invoice().get("attempt_count").asInt()).isEqualTo(1);
        JsonNode event = api.get("/v1/events?type=invoice.payment_failed").json().at("/data/0/data");
        assertThat(event.get("attempt_count").asInt()).isEqualTo(1);
        assertThat(event.get("reason").asText()).isEqualTo("retry");
        assertThat(event.get("decline_reason").asText()).isEqualTo("insufficient_funds");
    }

    @Test
    void anUnknownInvoiceIs404() {
        assertThatThrownBy(() -> server.app.db.tx(tx -> receivables.lockOrNotFound(new Ctx(tx, api.tenant, NOW), "inv_nope")))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(404));
        assertThat(receivables.find(Ctx.withoutClock(server.app.db.dsl(), api.tenant), "inv_nope")).isEmpty();
        assertThatThrownBy(() -> receivables.refundsOf(Ctx.withoutClock(server.app.db.dsl(), api.tenant), "inv_nope", new tollgate.core.Paging(10, null)))
                .isInstanceOf(Problem.class);
    }
}

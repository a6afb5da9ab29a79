package tollgate.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Decision 092: an invoice written off (uncollectible) still takes money that arrives for it, as Stripe's does: a
 * recorded wire of part of it leaves it uncollectible with less due, the rest pays it. Cards are not charged for it.
 */
class UncollectibleInvoicesTest {
    @ParameterizedTest
    @MethodSource("tollgate.testing.TestDatabase#available")
    void aWireThatArrivesAfterTheWriteOffIsRecordedAndPaysTheInvoice(TestDatabase database) {
        ApiClient api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2029-12-10T09:00:00Z"));
        String account = api.newAccount("Latecomer", "usd", "UTC");
        String invoice = Fixtures.declinedFirstInvoice(api, account).at("/id").asText(); // 639 due, declined
        Res written = api.post("/v1/invoices/" + invoice + "/mark_uncollectible", "{}");
        assertThat(written.status()).as(written.text()).isEqualTo(200);
        assertThat(written.str("status")).isEqualTo("uncollectible");
        String since = lastEventId(api);

        // A card pay is still refused: the write-off stopped charging, and nothing here asks the gateway.
        Res pay = api.post("/v1/invoices/" + invoice + "/pay", "{}");
        assertThat(pay.status()).isEqualTo(409);
        assertThat(pay.code()).isEqualTo("invoice_not_open");

        Res part = wire(api, invoice, 200, "LATE-1");
        assertThat(part.status()).as(part.text()).isEqualTo(200);
        assertThat(part.str("status")).isEqualTo("uncollectible");
        assertThat(part.json().get("amount_paid").asLong()).isEqualTo(200);
        assertThat(part.json().get("amount_due").asLong()).isEqualTo(439);

        Res more = wire(api, invoice, 440, "LATE-2");
        assertThat(more.status()).isEqualTo(422);
        assertThat(more.code()).isEqualTo("amount_invalid");

        Res rest = wire(api, invoice, 439, "LATE-2");
        assertThat(rest.status()).as(rest.text()).isEqualTo(200);
        assertThat(rest.str("status")).isEqualTo("paid");
        assertThat(rest.json().get("amount_paid").asLong()).isEqualTo(639);
        assertThat(rest.json().get("amount_due").asLong()).isZero();
        assertThat(api.get("/v1/invoices/" + invoice + "/payments").json().get("data")).hasSize(2);
        // The part is an update; the rest pays it. A receipt goes out as for any paid invoice.
        assertThat(typesSince(api, since)).containsSubsequence("invoice.updated", "invoice.paid");
        assertThat(api.get("/v1/accounts/" + account + "/notifications").json().get("data"))
                .anySatisfy(n -> assertThat(n.get("template").asText()).isEqualTo("invoice_paid"));

        // Paid is final: another wire is refused.
        Res again = wire(api, invoice, 1, "LATE-3");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("invoice_not_open");
    }

    private static Res wire(ApiClient api, String invoice, long amount, String reference) {
        return api.post("/v1/invoices/" + invoice + "/record_payment",
                "{\"amount\":" + amount + ",\"method\":\"wire\",\"reference\":\"" + reference + "\"}");
    }

    private static String lastEventId(ApiClient api) {
        return api.get("/v1/events?limit=1").json().at("/data/0/id").asText();
    }

    /** Event types after {@code since}, oldest first. */
    private static List<String> typesSince(ApiClient api, String since) {
        List<String> types = new ArrayList<>();
        for (JsonNode e : api.get("/v1/events?limit=100").json().get("data")) {
            if (e.get("id").asText().equals(since)) break;
            types.addFirst(e.get("type").asText());
        }
        return types;
    }
}

package tollgate.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * SPEC §4 one-off charges: pending invoice items ride on the account's next invoice, and one-off invoices are drafts
 * that take lines and are numbered (gaplessly) only when finalized.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class OneOffChargesTest {
    private static final String MIGRATION = "{\"amount\":1500,\"description\":\"Site migration\"}";

    @Parameter
    TestDatabase database;
    ApiClient api;
    String account;

    @BeforeEach
    void tenant() {
        api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-03-10T10:00:00Z"));
        account = Fixtures.payingAccount(api, "Agency", "usd");
    }

    private static JsonNode ok(Res r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    private void advance(String to) {
        ok(api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}"));
    }

    private JsonNode invoices() {
        return api.get("/v1/accounts/" + account + "/invoices").json().get("data");
    }

    @Test
    void aPendingItemGoesOnTheNextMonthlyLicenseInvoice() {
        Fixtures.issueOne(api, account, Fixtures.licensePlan(api, "usd", 900));
        JsonNode item = ok(api.post("/v1/accounts/" + account + "/invoice_items", MIGRATION));
        assertThat(item.get("object").asText()).isEqualTo("invoice_item");
        assertThat(item.get("status").asText()).isEqualTo("pending");
        assertThat(item.get("currency").asText()).isEqualTo("usd");
        assertThat(item.get("invoice").isNull()).isTrue();
        assertThat(api.get("/v1/accounts/" + account + "/invoice_items?pending=true").json().get("data")).hasSize(1);

        advance("2030-04-01T00:00:01Z");
        JsonNode april = invoices();
        assertThat(april).hasSize(1);
        // License: 22 of 31 days of March, 900 × 22 / 31 = 638.71 → 639; the item: 1500.
        assertThat(april.at("/0/number").asText()).isEqualTo("INV-000001");
        assertThat(april.at("/0/lines")).hasSize(2);
        assertThat(april.at("/0/lines/0/amount").asLong()).isEqualTo(639);
        assertThat(april.at("/0/lines/1/kind").asText()).isEqualTo("invoice_item");
        assertThat(april.at("/0/lines/1/description").asText()).isEqualTo("Site migration");
        assertThat(april.at("/0/lines/1/amount").asLong()).isEqualTo(1500);
        assertThat(april.at("/0/total").asLong()).isEqualTo(2139);

        JsonNode after = api.get("/v1/accounts/" + account + "/invoice_items").json().at("/data/0");
        assertThat(after.get("status").asText()).isEqualTo("invoiced");
        assertThat(after.get("invoice").asText()).isEqualTo(april.at("/0/id").asText());
        assertThat(api.get("/v1/accounts/" + account + "/invoice_items?pending=true").json().get("data")).isEmpty();
        Res late = api.delete("/v1/invoice_items/" + item.get("id").asText());
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.code()).isEqualTo("invoice_item_invoiced");

        // Once taken, an item is not billed again.
        advance("2030-05-01T00:00:01Z");
        assertThat(invoices().at("/0/lines")).hasSize(1);
    }

    @Test
    void anItemAloneMakesNoInvoiceAndCanBeDeletedWhilePending() {
        String id = ok(api.post("/v1/accounts/" + account + "/invoice_items", MIGRATION)).get("id").asText();
        advance("2030-05-01T00:00:00Z");
        assertThat(invoices()).isEmpty();
        JsonNode deleted = ok(api.delete("/v1/invoice_items/" + id));
        assertThat(deleted.get("deleted").asBoolean()).isTrue();
        assertThat(api.get("/v1/accounts/" + account + "/invoice_items").json().get("data")).isEmpty();
        assertThat(api.delete("/v1/invoice_items/" + id).status()).isEqualTo(404);
    }

    @Test
    void badItemsAreRefusedNamingTheFieldAndChangeNothing() {
        String[][] cases = {
                {"{\"description\":\"x\"}", "amount", "parameter_missing"},
                {"{\"amount\":0,\"description\":\"x\"}", "amount", "parameter_invalid"},
                {"{\"amount\":100000000,\"description\":\"x\"}", "amount", "amount_too_large"},
                {"{\"amount\":\"5\",\"description\":\"x\"}", "amount", "invalid_type"},
                {"{\"amount\":5}", "description", "parameter_missing"},
                {"{\"amount\":5,\"description\":\" \"}", "description", "parameter_invalid"},
                {"{\"amount\":5,\"description\":\"" + "x".repeat(501) + "\"}", "description", "parameter_invalid"},
                {"{\"amount\":5,\"description\":\"x\",\"currency\":\"eur\"}", "currency", "currency_mismatch"},
                {"{\"amount\":5,\"description\":\"x\",\"currency\":\"zzz\"}", "currency", "currency_invalid"},
                {"{\"amount\":5,\"description\":\"x\",\"metadata\":{\"k\":1}}", "metadata.k", "invalid_type"},
                {"{\"amount\":5,\"description\":\"x\",\"price\":5}", "price", "unknown_field"},
        };
        for (String[] c : cases) {
            Res r = api.post("/v1/accounts/" + account + "/invoice_items", c[0]);
            assertThat(r.status()).as(c[0]).isEqualTo(422);
            assertThat(r.json().get("field").asText()).as(c[0]).isEqualTo(c[1]);
            if (!c[2].equals("currency_invalid")) assertThat(r.code()).as(c[0]).isEqualTo(c[2]);
        }
        assertThat(api.post("/v1/accounts/acct_nothing/invoice_items", MIGRATION).status()).isEqualTo(404);
        assertThat(api.get("/v1/accounts/" + account + "/invoice_items").json().get("data")).isEmpty();
        Res paging = api.get("/v1/accounts/" + account + "/invoice_items?starting_after=ii_nothing");
        assertThat(paging.status()).isEqualTo(404);
        assertThat(paging.json().get("field").asText()).isEqualTo("starting_after");
    }

    @Test
    void aOneOffInvoiceIsADraftUntilFinalizedAndOnlyThenTakesTheNextNumber() {
        JsonNode draft = ok(api.post("/v1/accounts/" + account + "/invoices", "{}"));
        String id = draft.get("id").asText();
        assertThat(draft.get("status").asText()).isEqualTo("draft");
        assertThat(draft.get("number").isNull()).isTrue();
        assertThat(draft.get("billing_date").isNull()).isTrue();
        assertThat(draft.get("lines")).isEmpty();

        Res empty = api.post("/v1/invoices/" + id + "/finalize", null);
        assertThat(empty.status()).isEqualTo(422);
        assertThat(empty.code()).isEqualTo("invoice_empty");
        assertThat(empty.json().get("field").asText()).isEqualTo("lines");
        assertThat(ok(api.get("/v1/invoices/" + id)).get("status").asText()).isEqualTo("draft");

        JsonNode lined = ok(api.post("/v1/invoices/" + id + "/lines",
                "{\"lines\":[{\"description\":\"Custom theme\",\"amount\":45000},{\"description\":\"Domains\",\"amount\":2400,\"quantity\":2}]}"));
        assertThat(lined.get("total").asLong()).isEqualTo(47400);
        assertThat(lined.get("number").isNull()).isTrue();

        // Another invoice issued meanwhile takes the first number: the draft has none to hold.
        String other = Fixtures.payingAccount(api, "Other", "usd");
        ok(api.post("/v1/accounts/" + other + "/subscriptions", "{\"plan\":\"" + Fixtures.flatPlan(api, "usd") + "\"}"));
        assertThat(api.get("/v1/accounts/" + other + "/invoices").json().at("/data/0/number").asText()).isEqualTo("INV-000001");

        advance("2030-03-12T09:00:00Z");
        JsonNode open = ok(api.post("/v1/invoices/" + id + "/finalize", null));
        assertThat(open.get("number").asText()).isEqualTo("INV-000002");
        assertThat(open.get("issued_at").asText()).isEqualTo("2030-03-12T09:00:00Z");
        assertThat(open.get("billing_date").asText()).isEqualTo("2030-03-12T09:00:00Z");
        assertThat(open.get("status").asText()).isIn("open", "paid");
        assertThat(open.get("amount_due").asLong() + open.get("amount_paid").asLong()).isEqualTo(47400);

        Res pdf = api.get("/v1/invoices/" + id + "/pdf");
        assertThat(pdf.status()).isEqualTo(200);
        assertThat(pdf.header("content-type")).startsWith("application/pdf");

        // Collected like any issued invoice: charged to the card at its issue instant.
        advance("2030-03-12T09:01:00Z");
        JsonNode paid = ok(api.get("/v1/invoices/" + id));
        assertThat(paid.get("status").asText()).isEqualTo("paid");
        assertThat(paid.get("amount_paid").asLong()).isEqualTo(47400);

        Res again = api.post("/v1/invoices/" + id + "/finalize", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("invoice_not_draft");
        assertThat(api.post("/v1/invoices/" + id + "/lines", "{\"lines\":[{\"description\":\"x\",\"amount\":1}]}").code())
                .isEqualTo("invoice_immutable");
        assertThat(api.delete("/v1/invoices/" + id).code()).isEqualTo("invoice_not_draft");
        assertThat(api.get("/v1/events?type=invoice.issued").json().get("data")).hasSize(2);
    }

    @Test
    void aDraftMayTakeThePendingItemsAndGivesThemBackWhenDeleted() {
        String item = ok(api.post("/v1/accounts/" + account + "/invoice_items", MIGRATION)).get("id").asText();
        JsonNode draft = ok(api.post("/v1/accounts/" + account + "/invoices", "{\"pending_invoice_items_behavior\":\"include\","
                + "\"lines\":[{\"description\":\"Audit\",\"amount\":10000}]}"));
        assertThat(draft.get("lines")).hasSize(2);
        assertThat(draft.get("total").asLong()).isEqualTo(11500);
        String id = draft.get("id").asText();
        assertThat(api.get("/v1/accounts/" + account + "/invoice_items").json().at("/data/0/invoice").asText()).isEqualTo(id);

        JsonNode deleted = ok(api.delete("/v1/invoices/" + id));
        assertThat(deleted.get("deleted").asBoolean()).isTrue();
        assertThat(api.get("/v1/invoices/" + id).status()).isEqualTo(404);
        JsonNode back = api.get("/v1/accounts/" + account + "/invoice_items").json().at("/data/0");
        assertThat(back.get("id").asText()).isEqualTo(item);
        assertThat(back.get("status").asText()).isEqualTo("pending");

        // Without "include" (the default) a draft leaves the items pending.
        JsonNode plain = ok(api.post("/v1/accounts/" + account + "/invoices", null));
        assertThat(plain.get("lines")).isEmpty();
        assertThat(api.get("/v1/accounts/" + account + "/invoice_items?pending=true").json().get("data")).hasSize(1);
    }

    @Test
    void aVoidedDraftTakesItsNumberAndIsNeverCollected() {
        String id = ok(api.post("/v1/accounts/" + account + "/invoices", "{\"lines\":[{\"description\":\"Audit\",\"amount\":10000}]}"))
                .get("id").asText();
        JsonNode voided = ok(api.post("/v1/invoices/" + id + "/void", null));
        assertThat(voided.get("status").asText()).isEqualTo("void");
        assertThat(voided.get("number").asText()).isEqualTo("INV-000001");
        advance("2030-03-20T00:00:00Z");
        assertThat(api.get("/v1/invoices/" + id + "/payment_attempts").json().get("data")).isEmpty();
        assertThat(ok(api.get("/v1/invoices/" + id)).get("amount_paid").asLong()).isZero();

        String empty = ok(api.post("/v1/accounts/" + account + "/invoices", null)).get("id").asText();
        Res refused = api.post("/v1/invoices/" + empty + "/void", null);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.code()).isEqualTo("invoice_empty");
    }

    @Test
    void aOneOffInvoiceThatCannotBeChargedIsChasedAndWritingItOffEndsThat() {
        String declined = api.newAccount("Declined", "usd", "UTC");
        Fixtures.attachCard(api, declined, "tok_chargeDeclinedInsufficientFunds");
        String id = ok(api.post("/v1/accounts/" + declined + "/invoices", "{\"lines\":[{\"description\":\"Audit\",\"amount\":10000}]}"))
                .get("id").asText();
        ok(api.post("/v1/invoices/" + id + "/finalize", null));
        advance("2030-03-10T10:01:00Z");
        JsonNode owed = ok(api.get("/v1/accounts/" + declined + "/entitlements"));
        assertThat(owed.get("past_due_amount").asLong()).isEqualTo(10000);
        assertThat(owed.get("next_dunning_step").isNull()).isFalse();

        assertThat(ok(api.post("/v1/invoices/" + id + "/mark_uncollectible", null)).get("status").asText()).isEqualTo("uncollectible");
        JsonNode after = ok(api.get("/v1/accounts/" + declined + "/entitlements"));
        assertThat(after.get("past_due_amount").asLong()).isZero();
        assertThat(after.get("next_dunning_step").isNull()).isTrue();
        advance("2030-04-30T00:00:00Z");
        assertThat(api.get("/v1/invoices/" + id + "/payment_attempts").json().get("data")).hasSize(1);
    }

    @Test
    void badDraftsAreRefusedNamingTheField() {
        Res behavior = api.post("/v1/accounts/" + account + "/invoices", "{\"pending_invoice_items_behavior\":\"all\"}");
        assertThat(behavior.status()).isEqualTo(422);
        assertThat(behavior.json().get("field").asText()).isEqualTo("pending_invoice_items_behavior");
        Res line = api.post("/v1/accounts/" + account + "/invoices", "{\"lines\":[{\"description\":\"x\",\"amount\":-1}]}");
        assertThat(line.status()).isEqualTo(422);
        assertThat(line.json().get("field").asText()).isEqualTo("lines[0].amount");
        Res huge = api.post("/v1/accounts/" + account + "/invoices", "{\"lines\":[{\"description\":\"x\",\"amount\":100000000000001}]}");
        assertThat(huge.code()).isEqualTo("amount_too_large");
        assertThat(api.post("/v1/accounts/acct_nothing/invoices", "{}").status()).isEqualTo(404);
        assertThat(invoices()).isEmpty();
    }

    @Test
    void aDraftOfOneLineTakesSpecsAmountAndDescription() {
        // SPEC §10 gives POST /v1/accounts/{id}/invoices the body `amount, description`: one line, quantity 1.
        JsonNode draft = ok(api.post("/v1/accounts/" + account + "/invoices", MIGRATION));
        assertThat(draft.get("status").asText()).isEqualTo("draft");
        assertThat(draft.get("lines")).hasSize(1);
        assertThat(draft.at("/lines/0/description").asText()).isEqualTo("Site migration");
        assertThat(draft.at("/lines/0/amount").asLong()).isEqualTo(1500);
        assertThat(draft.at("/lines/0/quantity").asLong()).isEqualTo(1);
        assertThat(draft.get("total").asLong()).isEqualTo(1500);

        Res both = api.post("/v1/accounts/" + account + "/invoices",
                "{\"amount\":1500,\"description\":\"x\",\"lines\":[{\"description\":\"y\",\"amount\":1}]}");
        assertThat(both.status()).isEqualTo(422);
        assertThat(both.code()).isEqualTo("parameters_exclusive");
        Res noDescription = api.post("/v1/accounts/" + account + "/invoices", "{\"amount\":1500}");
        assertThat(noDescription.code()).isEqualTo("parameter_missing");
        assertThat(noDescription.json().get("field").asText()).isEqualTo("description");
        Res noAmount = api.post("/v1/accounts/" + account + "/invoices", "{\"description\":\"x\"}");
        assertThat(noAmount.code()).isEqualTo("parameter_missing");
        assertThat(noAmount.json().get("field").asText()).isEqualTo("amount");
        Res negative = api.post("/v1/accounts/" + account + "/invoices", "{\"amount\":-1,\"description\":\"x\"}");
        assertThat(negative.json().get("field").asText()).isEqualTo("amount");
        assertThat(invoices()).hasSize(1);
    }
}

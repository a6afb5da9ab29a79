package tollgate.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.api.ApiJson;
import tollgate.charges.Charges;
import tollgate.core.Json;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;
import tollgate.tenants.Ctx;

/** SPEC §4 and the billing run's entry point: issuing works the amounts out exactly, once per account and billing date. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class InvoiceDraftRulesTest {
    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;
    String account;

    @BeforeEach
    void tenant() {
        server = TestServer.on(database);
        api = server.newTenant();
        account = api.newAccount("Agency", "usd", "UTC");
    }

    private int events(String type) {
        return api.get("/v1/events?limit=100&type=" + type + "&account=" + account).json().get("data").size();
    }

    @Test
    void issuingWorksOutSubtotalDiscountTotalAndAmountDueExactly() {
        Invoice invoice = Drafts.issued(server, api, Drafts.march(account, "usd"));

        // 900 + 435 + 29 = 1,364; less the 20% discount of 273 = 1,091; no tax yet.
        assertThat(invoice.subtotal()).isEqualTo(1364);
        assertThat(invoice.discount()).isEqualTo(273);
        assertThat(invoice.tax()).isZero();
        assertThat(invoice.total()).isEqualTo(1091);
        assertThat(invoice.amountPaid()).isZero();
        assertThat(invoice.amountCredited()).isZero();
        assertThat(invoice.amountDue()).isEqualTo(1091);
        assertThat(invoice.status()).isEqualTo(InvoiceStatus.OPEN);
        assertThat(invoice.number()).isEqualTo("INV-000001");

        JsonNode shown = api.get("/v1/invoices/" + invoice.id()).json();
        assertThat(shown.get("id").asText()).startsWith("inv_");
        assertThat(shown.get("object").asText()).isEqualTo("invoice");
        assertThat(shown.get("account").asText()).isEqualTo(account);
        assertThat(shown.get("status").asText()).isEqualTo("open");
        assertThat(shown.get("currency").asText()).isEqualTo("usd");
        assertThat(shown.get("billing_date").asText()).isEqualTo("2026-04-01T00:00:00Z");
        assertThat(shown.get("period_start").asText()).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(shown.get("period_end").asText()).isEqualTo("2026-04-01T00:00:00Z");
        assertThat(shown.get("subtotal").asLong()).isEqualTo(1364);
        assertThat(shown.get("discount").asLong()).isEqualTo(273);
        assertThat(shown.get("tax").asLong()).isZero();
        assertThat(shown.get("total").asLong()).isEqualTo(1091);
        assertThat(shown.get("amount_due").asLong()).isEqualTo(1091);
        assertThat(shown.get("attempt_count").asInt()).isZero();
        // Charged automatically: its first charge is scheduled at its issue (decision 022), and shows when.
        assertThat(shown.get("next_payment_attempt").asText()).isEqualTo(shown.get("issued_at").asText());
        assertThat(shown.get("collection_method").asText()).isEqualTo("charge_automatically");
        assertThat(shown.get("due_date").isNull()).isTrue();
        assertThat(shown.get("lines")).hasSize(3);
        JsonNode first = shown.get("lines").get(0);
        assertThat(first.get("id").asText()).startsWith("il_");
        assertThat(first.get("kind").asText()).isEqualTo("license");
        assertThat(first.get("description").asText()).isEqualTo("Jetpack Security, March 2026");
        assertThat(first.get("plan").asText()).isEqualTo("plan_security");
        assertThat(first.get("license").asText()).isEqualTo("lic_full");
        assertThat(first.get("key_suffix").asText()).isEqualTo("ZA6VE");
        assertThat(first.get("site_url").asText()).isEqualTo("https://shop.example");
        assertThat(first.get("days").asInt()).isEqualTo(31);
        assertThat(first.get("quantity").asLong()).isEqualTo(1);
        assertThat(first.get("amount").asLong()).isEqualTo(900);
        assertThat(shown.get("lines").get(1).get("amount").asLong()).isEqualTo(435);
        assertThat(shown.get("lines").get(2).get("subscription").asText()).isEqualTo("sub_usage");
        assertThat(shown.get("lines").get(2).get("days").isNull()).isTrue();
        assertThat(shown.at("/discounts/0/coupon").asText()).isEqualTo("coupon_launch");
        assertThat(shown.at("/discounts/0/amount").asLong()).isEqualTo(273);
    }

    @Test
    void anInvoiceIsIssuedAtTheTenantsClock() {
        Instant now = server.app.db.tx(tx -> server.app.clock.now(tx, api.tenant));
        Invoice invoice = Drafts.issued(server, api, Drafts.march(account, "usd"));
        assertThat(invoice.issuedAt()).isEqualTo(now);
        assertThat(api.get("/v1/invoices/" + invoice.id()).str("issued_at")).isEqualTo(now.toString());
    }

    @Test
    void aDiscountLargerThanTheSubtotalStopsAtTheSubtotalAndTheInvoiceIsPaidAtOnce() {
        NewInvoice draft = new NewInvoice(account, "usd", Drafts.APRIL, Drafts.MARCH, Drafts.APRIL, List.of(Drafts.fullMonth()),
                List.of(new Discount("coupon_big", null, "Goodwill", 700), new Discount("coupon_more", null, "More", 500)));
        Invoice invoice = Drafts.issued(server, api, draft);
        assertThat(invoice.subtotal()).isEqualTo(900);
        assertThat(invoice.discount()).isEqualTo(900);
        assertThat(invoice.total()).isZero();
        assertThat(invoice.amountDue()).isZero();
        // Nothing to pay: paid at once, as Stripe does with a zero invoice; still numbered and issued first.
        assertThat(invoice.status()).isEqualTo(InvoiceStatus.PAID);
        assertThat(invoice.number()).isEqualTo("INV-000001");
        assertThat(events("invoice.issued")).isEqualTo(1);
        assertThat(events("invoice.paid")).isEqualTo(1);
    }

    @Test
    void aSecondIssueForTheSameAccountAndBillingDateWritesNothing() {
        Invoice first = Drafts.issued(server, api, Drafts.march(account, "usd"));
        Optional<Invoice> again = Drafts.issue(server, api, Drafts.march(account, "usd"));
        assertThat(again).isEmpty();
        assertThat(api.get("/v1/accounts/" + account + "/invoices").json().get("data")).hasSize(1);
        assertThat(events("invoice.issued")).isEqualTo(1);
        // The refused issue took no number: the next invoice is INV-000002.
        Invoice next = Drafts.issued(server, api, Drafts.at(account, "usd", Instant.parse("2026-05-01T00:00:00Z"), 2500));
        assertThat(next.number()).isEqualTo("INV-000002");
        assertThat(first.id()).isNotEqualTo(next.id());
    }

    @Test
    void theDatabaseRefusesASecondInvoiceForTheSameAccountAndBillingDate() {
        Drafts.issued(server, api, Drafts.march(account, "usd"));
        // Past the service's check (as a racing writer would be), the unique index is the last guard.
        Invoice twin = InvoiceDraftRules.draft(Drafts.march(account, "usd"), "usd");
        assertThatThrownBy(() -> server.app.db.tx(tx -> {
            new InvoiceStore().insertDraft(tx, api.tenant.id(), twin, Drafts.APRIL);
            return null;
        })).isInstanceOf(DataAccessException.class);
        assertThat(api.get("/v1/invoices/" + twin.id()).status()).isEqualTo(404);
    }

    @Test
    void issuingRecordsInvoiceIssuedWithTheInvoiceAsTheApiShowsIt() throws Exception {
        Invoice invoice = Drafts.issued(server, api, Drafts.march(account, "usd"));
        Res events = api.get("/v1/events?type=invoice.issued&account=" + account);
        assertThat(events.json().get("data")).hasSize(1);
        JsonNode data = events.json().at("/data/0/data");
        assertThat(data).isEqualTo(api.get("/v1/invoices/" + invoice.id()).json());
        assertThat(data).isEqualTo(ApiJson.MAPPER.readTree(ApiJson.write(invoice)));
    }

    @Test
    void anInvoiceOfAnUnknownAccountIsRefusedAndNothingIsWritten() {
        assertThatThrownBy(() -> Drafts.issue(server, api, Drafts.march("acct_nobody", "usd")))
                .hasMessageContaining("No such account");
        assertThat(Drafts.issued(server, api, Drafts.march(account, "usd")).number()).isEqualTo("INV-000001");
    }

    @Test
    void anInvoiceInAnotherCurrencyThanTheAccountsIsABugAndWritesNothing() {
        assertThatThrownBy(() -> Drafts.issue(server, api, Drafts.march(account, "eur"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(api.get("/v1/accounts/" + account + "/invoices").json().get("data")).isEmpty();
    }

    @Test
    void aDraftForAnAccountNotLockedForTheIssueOrOneInvoicedAtItsDateAlreadyIsABugAndWritesNothing() {
        String other = api.newAccount("Other", "usd", "UTC");
        assertThatThrownBy(() -> server.app.db.tx(tx -> server.app.invoices.issue(new Ctx(tx, api.tenant, Drafts.APRIL),
                server.app.invoices.lockBuyers(new Ctx(tx, api.tenant, Drafts.APRIL), List.of(account), Drafts.APRIL), List.of(Drafts.march(other, "usd"))))).isInstanceOf(IllegalArgumentException.class);
        Drafts.issued(server, api, Drafts.march(account, "usd"));
        // Only a follow-up (decision 022) may join an instant already invoiced.
        assertThatThrownBy(() -> server.app.db.tx(tx -> server.app.invoices.issue(new Ctx(tx, api.tenant, Drafts.APRIL),
                server.app.invoices.lockBuyers(new Ctx(tx, api.tenant, Drafts.APRIL), List.of(account), Drafts.APRIL), List.of(Drafts.march(account, "usd"))))).isInstanceOf(IllegalStateException.class);
        assertThat(api.get("/v1/accounts/" + account + "/invoices").json().get("data")).hasSize(1);
        assertThat(api.get("/v1/accounts/" + other + "/invoices").json().get("data")).isEmpty();
    }

    @Test
    void aFollowUpOfAnInstantAlreadyInvoicedTakesTheInstantsNextSequenceNumberAndTheNextInvoiceNumber() {
        Drafts.issued(server, api, Drafts.march(account, "usd"));
        NewInvoice more = Drafts.at(account, "usd", Drafts.APRIL, 500);
        NewInvoice followUp = new NewInvoice(more.accountId(), more.currency(), more.billingDate(), more.periodStart(),
                more.periodEnd(), more.lines(), more.discounts(), more.terms(), true);
        List<Invoice> issued = server.app.db.tx(tx -> server.app.invoices.issue(new Ctx(tx, api.tenant, Drafts.APRIL),
                server.app.invoices.lockBuyers(new Ctx(tx, api.tenant, Drafts.APRIL), List.of(account), Drafts.APRIL), List.of(followUp)));
        assertThat(issued).singleElement().satisfies(v -> {
            assertThat(v.number()).isEqualTo("INV-000002");
            assertThat(v.billingDate()).isEqualTo(Drafts.APRIL);
            assertThat(v.total()).isEqualTo(500);
        });
        assertThat(server.app.db.dsl().fetch("select billing_seq from invoices where tenant_id = ? and account_id = ? order by billing_seq",
                api.tenant.id(), account).getValues(0, Integer.class)).containsExactly(0, 1);
        assertThat(events("invoice.issued")).isEqualTo(2);
    }

    @Test
    void theBillingRunWritesOneInvoicePerAccountAndBillingDateThroughInvoices() {
        Instant at = Instant.parse("2026-04-01T00:00:00Z");
        String billed = account;
        server.app.billing.addSource((ctx, acct) -> acct.id().equals(billed)
                ? new Charges(List.of(Drafts.fullMonth(), Drafts.usage()), List.of()) : Charges.NONE);
        for (int i = 0; i < 3; i++) {
            server.app.db.tx(tx -> {
                server.app.billing.billNow(new tollgate.tenants.Ctx(tx, api.tenant, at), billed);
                return null;
            });
        }
        JsonNode invoices = api.get("/v1/accounts/" + account + "/invoices").json().get("data");
        assertThat(invoices).hasSize(1);
        assertThat(invoices.get(0).get("total").asLong()).isEqualTo(929);
        assertThat(invoices.get(0).get("billing_date").asText()).isEqualTo("2026-04-01T00:00:00Z");
        assertThat(events("invoice.issued")).isEqualTo(1);
    }
}

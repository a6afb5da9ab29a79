package tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tollgate.audit.Audit;
import tollgate.audit.AuditEntry;
import tollgate.staff.StaffRole;
import tollgate.testing.ApiClient;
import tollgate.testing.Browser;
import tollgate.testing.Fixtures;
import tollgate.testing.Scenario;

/**
 * The console's accounts (issue 14 point 3, decision 042) in Chromium: a support agent finds a customer by the last
 * characters of a license key, sees why the card failed and what dunning does next, records a wire transfer (once,
 * even when the form is sent twice), and the audit log says so; a read-only member sees but cannot act, not even by a
 * forged request. The seller: one license plan at $9.00 a month; the customer's license is issued on 10 December
 * 2029, so the invoice of 1 January 2030 is 900 × 22 / 31 = 638.71 → $6.39, charged to a card that declines for
 * insufficient funds; licenses_default blocks new licenses 14 days later, on January 15.
 */
abstract class ConsoleAccounts {
    /** The browser, against the server of the database the subclass names. */
    abstract Browser browser();

    static final Instant START = Instant.parse("2029-12-10T09:00:00Z");

    record Seller(ApiClient api, Browser.Console console, String account, String license, String keySuffix, String invoice,
                  String number) {}

    private Seller sellerWithADeclinedInvoice() {
        ApiClient api = Scenario.tenantAt(browser().server, START);
        Browser.Console console = browser().consoleOf(api);
        api.newAccount("Beta Decoy", "usd", "Europe/Berlin");
        String account = api.newAccount("Northwind Studio", "usd", "Europe/Berlin");
        String plan = Fixtures.licensePlan(api, "usd", 900);
        Fixtures.attachCard(api, account, "tok_chargeDeclinedInsufficientFunds");
        String license = Fixtures.issueOne(api, account, plan);
        ApiClient.Res assigned = api.post("/v1/licenses/" + license + "/assign", "{\"site_url\":\"https://shop.northwind.example\"}");
        assertThat(assigned.status()).as(assigned.text()).isEqualTo(200);
        String suffix = api.get("/v1/licenses/" + license).json().at("/key").asText();
        suffix = suffix.substring(suffix.length() - 5);
        ApiClient.Res r = api.post("/v1/test_clock/advance", "{\"to\":\"2030-01-01T00:00:00Z\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        ApiClient.Res invoices = api.get("/v1/accounts/" + account + "/invoices");
        assertThat(invoices.json().at("/data/0/amount_due").asLong()).isEqualTo(639);
        return new Seller(api, console, account, license, suffix, invoices.json().at("/data/0/id").asText(),
                invoices.json().at("/data/0/number").asText());
    }

    @Test
    void supportFindsTheCustomerByTheKeysEndSeesWhyTheCardFailedAndRecordsAWireTransferOnce() {
        Seller s = sellerWithADeclinedInvoice();
        String agent = browser().addStaff(s.console(), StaffRole.SUPPORT, "Sam Support");
        Page page = browser().page();
        browser().signIn(page, s.console(), agent);

        page.click(".nav a:has-text('Accounts')");
        page.fill("#q", s.keySuffix().toLowerCase(java.util.Locale.ROOT));
        page.click("button:has-text('Search')");
        assertThat(page.locator("tbody th a").allTextContents()).containsExactly("Northwind Studio");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-accounts");
        page.click("tbody th a:has-text('Northwind Studio')");

        assertThat(page.textContent("h1")).isEqualTo("Northwind Studio");
        assertThat(page.locator(".page-head .badge").allTextContents()).contains("in dunning");
        assertThat(page.textContent("#invoices-title + table")).contains(s.number()).contains("$6.39").contains("open");
        assertThat(page.textContent("#dunning-title + table")).contains("Jan 15, 2030").contains("block new licenses")
                .contains("if still unpaid");
        assertThat(page.textContent("#licenses-title ~ table")).contains("…" + s.keySuffix()).contains("https://shop.northwind.example");
        assertThat(page.textContent("#mail-title + table")).contains("billing@northwind-studio.test");
        assertThat(page.textContent("#events-title + table")).contains("invoice.payment_failed");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-account");

        page.click("a:has-text('" + s.number() + "')");
        assertThat(page.textContent("#attempts-title + table")).contains("declined").contains("insufficient funds").contains("$6.39");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-invoice");

        page.click("a:has-text('Record a wire payment')");
        assertThat(page.textContent(".consequences")).contains("Up to $6.39 is due");
        page.fill("#f-amount", "6.395");
        page.fill("#f-reference", "NW-2030-01");
        page.click("button:has-text('Record payment')");
        assertThat(page.textContent("#f-amount-error")).contains("at most 2 decimals");
        assertThat(page.inputValue("#f-reference")).isEqualTo("NW-2030-01");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-action");
        assertThat(s.api().get("/v1/invoices/" + s.invoice()).json().at("/amount_paid").asLong()).isZero();

        // The same form sent twice (a double click, a resubmitted page): one payment.
        page.fill("#f-amount", "6.39");
        String csrf = page.inputValue("input[name=_csrf]");
        String once = page.inputValue("input[name=_once]");
        String action = s.console().url("invoices/" + s.invoice() + "/act/record-payment");
        for (int i = 0; i < 2; i++) {
            APIResponse r = page.request().post(action, RequestOptions.create().setMaxRedirects(0).setForm(FormData.create()
                    .set("_csrf", csrf).set("_once", once).set("amount", "6.39").set("reference", "NW-2030-01")));
            assertThat(r.status()).isEqualTo(303);
            assertThat(r.headers().get("location")).isEqualTo("/console/invoices/" + s.invoice());
        }
        ApiClient.Res paid = s.api().get("/v1/invoices/" + s.invoice());
        assertThat(paid.json().at("/status").asText()).isEqualTo("paid");
        assertThat(paid.json().at("/amount_paid").asLong()).isEqualTo(639);
        assertThat(s.api().get("/v1/invoices/" + s.invoice() + "/payments").json().at("/data").size()).isEqualTo(1);

        page.navigate(s.console().url("invoices/" + s.invoice()));
        assertThat(page.textContent("#payments-title + table")).contains("wire").contains("NW-2030-01").contains("$6.39");
        assertThat(page.locator("a:has-text('Record a wire payment')").count()).isZero();
        page.navigate(s.console().url("accounts/" + s.account()));
        assertThat(page.locator(".page-head .badge").allTextContents()).containsExactly("in good standing");

        List<AuditEntry> audit = browser().server.app.audit.search(s.api().tenant, Audit.Query.all(), 10);
        assertThat(audit).filteredOn(e -> e.action().equals("invoice.wire_payment_recorded")).singleElement().satisfies(e -> {
            assertThat(e.actor().label()).isEqualTo(agent);
            assertThat(e.objectId()).isEqualTo(s.invoice());
            assertThat(e.before()).contains("\"amount_due\":639");
            assertThat(e.after()).contains("\"status\":\"paid\"").contains("NW-2030-01");
        });
    }

    @Test
    void searchFindsAccountsByNameEmailIdAndSite() {
        Seller s = sellerWithADeclinedInvoice();
        Page page = browser().page();
        browser().signIn(page, s.console(), s.console().ownerEmail());
        for (String q : new String[] {"northwind", "BILLING@NORTHWIND", s.account(), "shop.northwind"}) {
            page.navigate(s.console().url("accounts?q=" + java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(page.locator("tbody th a").allTextContents()).as(q).containsExactly("Northwind Studio");
        }
        page.navigate(s.console().url("accounts?q=zzz-nothing"));
        assertThat(page.textContent("h2#none-title")).isEqualTo("No account matches “zzz-nothing”");
        page.navigate(s.console().url("accounts"));
        assertThat(page.locator("tbody th a").allTextContents()).containsExactlyInAnyOrder("Northwind Studio", "Beta Decoy");
    }

    @Test
    void aReadOnlyMemberSeesTheAccountButCannotActNotEvenByAForgedRequest() {
        Seller s = sellerWithADeclinedInvoice();
        String reader = browser().addStaff(s.console(), StaffRole.READ_ONLY, "Rita Reader");
        Page page = browser().page();
        browser().signIn(page, s.console(), reader);
        page.navigate(s.console().url("invoices/" + s.invoice()));
        assertThat(page.textContent("h1")).contains(s.number());
        assertThat(page.locator(".page-actions a:has-text('Void')").count()).isZero();
        assertThat(page.locator(".page-actions a:has-text('Record a wire payment')").count()).isZero();
        String csrf = page.locator("body").getAttribute("hx-headers").replaceAll(".*\"X-CSRF-Token\"\\s*:\\s*\"([^\"]+)\".*", "$1");

        APIResponse get = page.request().get(s.console().url("invoices/" + s.invoice() + "/act/void"),
                RequestOptions.create().setMaxRedirects(0));
        assertThat(get.status()).isEqualTo(403);
        for (String act : new String[] {"void", "record-payment", "credit"}) {
            APIResponse r = page.request().post(s.console().url("invoices/" + s.invoice() + "/act/" + act), RequestOptions.create()
                    .setMaxRedirects(0).setForm(FormData.create().set("_csrf", csrf).set("_once", "forged-" + act).set("amount", "6.39")));
            assertThat(r.status()).as(act).isEqualTo(403);
        }
        APIResponse seats = page.request().post(s.console().url("accounts/" + s.account() + "/act/company"), RequestOptions.create()
                .setMaxRedirects(0).setForm(FormData.create().set("_csrf", csrf).set("_once", "forged").set("name", "Hacked")
                        .set("email", "x@y.example")));
        assertThat(seats.status()).isEqualTo(403);
        ApiClient.Res inv = s.api().get("/v1/invoices/" + s.invoice());
        assertThat(inv.json().at("/status").asText()).isEqualTo("open");
        assertThat(s.api().get("/v1/accounts/" + s.account()).json().at("/name").asText()).isEqualTo("Northwind Studio");
        assertThat(browser().server.app.audit.search(s.api().tenant, Audit.Query.all(), 10))
                .noneMatch(e -> e.action().startsWith("invoice.") || e.action().startsWith("account."));
    }

    @Test
    void anotherTenantsAccountOrInvoiceIsNotFound() {
        Seller mine = sellerWithADeclinedInvoice();
        Seller theirs = sellerWithADeclinedInvoice();
        Page page = browser().page();
        browser().signIn(page, mine.console(), mine.console().ownerEmail());
        for (String path : new String[] {"accounts/" + theirs.account(), "invoices/" + theirs.invoice(),
                "invoices/" + theirs.invoice() + "/act/void", "invoices/" + theirs.invoice() + "/pdf",
                "accounts/" + theirs.account() + "/act/company"}) {
            assertThat(page.request().get(mine.console().url(path)).status()).as(path).isEqualTo(404);
        }
    }

    @Test
    void supportCancelsAndReactivatesASubscriptionAndChangesItsCompanyDetails() {
        Seller s = sellerWithADeclinedInvoice();
        String plan = Fixtures.flatPlan(s.api(), "usd");
        ApiClient.Res sub = s.api().post("/v1/accounts/" + s.account() + "/subscriptions", "{\"plan\":\"" + plan + "\"}");
        assertThat(sub.status()).as(sub.text()).isEqualTo(200);
        String agent = browser().addStaff(s.console(), StaffRole.SUPPORT, "Sam Support");
        Page page = browser().page();
        browser().signIn(page, s.console(), agent);
        page.navigate(s.console().url("accounts/" + s.account()));
        page.click("#subs-title + table a:has-text('Cancel at period end')");
        assertThat(page.textContent(".consequences")).contains("billed, until");
        page.click("button:has-text('Cancel at period end')");
        assertThat(page.textContent(".flash")).contains("The subscription ends on");
        assertThat(s.api().get("/v1/subscriptions/" + sub.str("id")).json().at("/cancel_at_period_end").asBoolean()).isTrue();
        page.click("#subs-title + table a:has-text('Reactivate')");
        page.click("button:has-text('Reactivate')");
        assertThat(s.api().get("/v1/subscriptions/" + sub.str("id")).json().at("/cancel_at_period_end").asBoolean()).isFalse();

        page.click("a:has-text('Edit company details')");
        page.fill("#f-legal_name", "N".repeat(250));
        page.fill("#f-tax_id", "DE123456789");
        page.click("button:has-text('Save details')");
        assertThat(page.textContent("#f-legal_name-error")).contains("“Legal name”").contains("200");
        assertThat(page.inputValue("#f-tax_id")).isEqualTo("DE123456789");
        // The API's refusals come back beside their fields, what was typed kept: a NUL character (which the API's body
        // refuses, and PostgreSQL cannot store), and the company rules' country.
        page.fill("#f-legal_name", "Northwind Studio GmbH");
        page.fill("#f-line1", "Hauptstraße 1\u0000");
        page.fill("#f-country", "Germany");
        page.click("button:has-text('Save details')");
        assertThat(page.textContent("#f-line1-error")).isEqualTo("This field holds a NUL character, which no text may hold: remove it.");
        assertThat(page.inputValue("#f-line1")).startsWith("Hauptstraße 1");
        assertThat(page.inputValue("#f-country")).isEqualTo("Germany");
        page.fill("#f-line1", "Hauptstraße 1");
        page.click("button:has-text('Save details')");
        assertThat(page.textContent("#f-country-error")).isNotBlank();
        assertThat(page.inputValue("#f-line1")).isEqualTo("Hauptstraße 1");
        assertThat(page.inputValue("#f-legal_name")).isEqualTo("Northwind Studio GmbH");
        assertThat(s.api().get("/v1/accounts/" + s.account()).json().at("/company/address/line1").isTextual()).as("nothing saved").isFalse();
        page.fill("#f-country", "de");
        page.fill("#f-legal_name", "Northwind Studio GmbH");
        page.fill("#f-email", "accounts@northwind.example");
        page.click("button:has-text('Save details')");
        assertThat(page.textContent(".flash")).contains("Company details saved");
        ApiClient.Res account = s.api().get("/v1/accounts/" + s.account());
        assertThat(account.json().at("/email").asText()).isEqualTo("accounts@northwind.example");
        assertThat(account.json().at("/company/tax_id").asText()).isEqualTo("DE123456789");
        assertThat(account.json().at("/company/address/line1").asText()).isEqualTo("Hauptstraße 1");
        assertThat(account.json().at("/company/address/country").asText()).isEqualTo("DE");
        assertThat(browser().server.app.audit.search(s.api().tenant, Audit.Query.all(), 10).stream().map(AuditEntry::action))
                .contains("subscription.cancel_scheduled", "subscription.reactivated", "account.company_details_changed");
    }

    @Test
    void lowerSeatsWaitForTheNextPeriodAndThePageSaysSoUnderThePlansName() {
        ApiClient api = Scenario.tenantAt(browser().server, START);
        Browser.Console console = browser().consoleOf(api);
        String customer = api.newPayingAccount("Contoso", "usd", "UTC");
        ApiClient.Res plan = api.post("/v1/plans", "{\"name\":\"Agency\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":4900,"
                + "\"included_seats\":5,\"seat_amount\":800}");
        assertThat(plan.status()).as(plan.text()).isEqualTo(200);
        ApiClient.Res sub = api.post("/v1/accounts/" + customer + "/subscriptions", "{\"plan\":\"" + plan.str("id") + "\",\"seats\":10}");
        assertThat(sub.status()).as(sub.text()).isEqualTo(200);
        String agent = browser().addStaff(console, StaffRole.SUPPORT, "Sam Support");
        Page page = browser().page();
        browser().signIn(page, console, agent);
        page.navigate(console.url("accounts/" + customer));
        page.click("#subs-title + table a:has-text('Change seats')");
        assertThat(page.textContent("h1")).isEqualTo("Change the seats of Agency");
        assertThat(page.title()).contains("Change the seats of Agency").doesNotContain(plan.str("id"));

        // Fewer seats: the subscription keeps its 10 until the period ends on January 10, and the message says so.
        page.fill("#f-seats", "9");
        page.click("button:has-text('Change seats')");
        page.waitForURL(console.url("accounts/" + customer));
        assertThat(page.textContent(".flash")).isEqualTo("The seats go down to 9 on Jan 10, 2030; until then the subscription keeps its 10.");
        ApiClient.Res after = api.get("/v1/subscriptions/" + sub.str("id"));
        assertThat(after.json().at("/seats").asInt()).isEqualTo(10);
        assertThat(after.json().at("/pending_seats").asInt()).isEqualTo(9);
        page.click("#subs-title + table a:has-text('Change seats')");
        assertThat(page.textContent("#f-seats-hint")).isEqualTo("Now 10, 9 from Jan 10, 2030");

        // More seats take effect at once.
        page.fill("#f-seats", "12");
        page.click("button:has-text('Change seats')");
        page.waitForURL(console.url("accounts/" + customer));
        assertThat(page.textContent(".flash")).isEqualTo("Seats changed to 12.");
        assertThat(api.get("/v1/subscriptions/" + sub.str("id")).json().at("/seats").asInt()).isEqualTo(12);
    }

    @Test
    void supportRefundsPartOfAPaidInvoiceToTheCardOrCreditsItToTheBalance() {
        ApiClient api = Scenario.tenantAt(browser().server, START);
        Browser.Console console = browser().consoleOf(api);
        String customer = api.newPayingAccount("Contoso", "usd", "UTC");
        String plan = Fixtures.flatPlan(api, "usd");
        ApiClient.Res sub = api.post("/v1/accounts/" + customer + "/subscriptions", "{\"plan\":\"" + plan + "\"}");
        assertThat(sub.status()).as(sub.text()).isEqualTo(200);
        ApiClient.Res invoices = api.get("/v1/accounts/" + customer + "/invoices");
        assertThat(invoices.json().at("/data/0/status").asText()).isEqualTo("paid");
        String invoice = invoices.json().at("/data/0/id").asText();
        String agent = browser().addStaff(console, StaffRole.SUPPORT, "Sam Support");
        Page page = browser().page();
        browser().signIn(page, console, agent);
        page.navigate(console.url("invoices/" + invoice));
        page.click(".page-actions a:has-text('Issue a credit note')");
        assertThat(page.textContent("h1")).isEqualTo("Issue a credit note or refund");
        assertThat(page.textContent("label[for=f-refund_to]")).isEqualTo("Where the money goes");
        assertThat(page.inputValue("#f-refund_to")).isEqualTo("payment");

        // More than was paid: refused beside the amount, what was chosen kept, nothing given back.
        page.fill("#f-amount", "30.00");
        page.click("button:has-text('Issue credit note')");
        assertThat(page.textContent("#f-amount-error")).contains("Only $25.00 can be refunded to a card payment of this invoice")
                .contains("credited to the customer's balance), not $30.00.");
        assertThat(page.inputValue("#f-refund_to")).isEqualTo("payment");
        assertThat(page.inputValue("#f-amount")).isEqualTo("30.00");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-refund");

        page.fill("#f-amount", "5.00");
        page.fill("#f-reason", "Outage on January 9");
        page.click("button:has-text('Issue credit note')");
        page.waitForURL(console.url("invoices/" + invoice));
        assertThat(page.textContent(".flash")).contains("for $5.00, refunded to the payment.");
        List<tollgate.invoicing.Refund> refunds = browser().server.app.refunds.ofInvoice(api.tenant, invoice, new tollgate.core.Paging(10, null)).data();
        assertThat(refunds).singleElement().satisfies(r -> {
            assertThat(r.amount()).isEqualTo(500);
            assertThat(r.status()).isEqualTo(tollgate.invoicing.Refund.SUCCEEDED);
        });

        // To the balance instead: a credit note, no refund.
        page.click(".page-actions a:has-text('Issue a credit note')");
        page.selectOption("#f-refund_to", new com.microsoft.playwright.options.SelectOption().setLabel("To the customer's balance"));
        page.fill("#f-amount", "2.00");
        page.click("button:has-text('Issue credit note')");
        assertThat(page.textContent(".flash")).contains("for $2.00, added to the customer's balance.");
        assertThat(browser().server.app.refunds.ofInvoice(api.tenant, invoice, new tollgate.core.Paging(10, null)).data()).hasSize(1);
        assertThat(browser().server.app.audit.search(api.tenant, Audit.Query.all(), 20)).filteredOn(e -> e.action().equals("invoice.credit_note_issued"))
                .extracting(AuditEntry::after).satisfiesExactlyInAnyOrder(
                        a -> assertThat(a).contains("\"refund_to\":\"payment\"").contains("succeeded"),
                        a -> assertThat(a).contains("\"refund_to\":\"balance\"").doesNotContain("\"refund\""));
    }
}

package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tollgate.testing.ApiClient;
import tollgate.testing.Browser;
import tollgate.testing.Fixtures;

/**
 * Invoices and the unpaid notice in Chromium. A license issued on 10 December 2029 at 9.00 per month, billed in arrears
 * on 1 January 2030: 900 × 22 / 31 = 638.71 → $6.39, charged to a card that declines; licenses_default blocks new
 * licenses 14 days later, on January 15.
 */
abstract class Invoices {
    static final Instant START = Instant.parse("2029-12-10T09:00:00Z");

    /** The browser, against the server of the database the subclass names. */
    abstract Browser browser();

    record Declined(PaymentCustomers.Seller seller, String account, String invoice, String number) {}

    /** A customer with a declining card and one license, its first invoice declined on 1 January 2030. */
    private Declined declinedInvoice(Page page, String company, String email) {
        PaymentCustomers.Seller seller = PaymentCustomers.seller(browser(), START);
        String account = browser().signedUpCustomer(page, seller.portal(), company, email).account();
        var invoice = Fixtures.declinedFirstInvoice(seller.api(), account);
        return new Declined(seller, account, invoice.get("id").asText(), invoice.get("number").asText());
    }

    @Test
    void aDeclinedInvoiceShowsTheBannerEverywhereUntilItIsPaidWithANewCard() {
        Page page = browser().page();
        Declined d = declinedInvoice(page, "Northwind Studio", "ada@northwind.example");
        Browser.Portal portal = d.seller().portal();
        String expected = "Invoice " + d.number() + " for $6.39 is past due: your card was declined for insufficient funds. "
                + "From January 15 you cannot issue new licenses.";
        for (String p : List.of("dashboard", "payment-methods", "invoices", "invoices/" + d.invoice(), "payment-methods/new")) {
            page.navigate(portal.url(p));
            assertThat(page.textContent(".banner h2")).as(p).isEqualTo("You have an unpaid invoice");
            assertThat(page.textContent(".banner p")).as(p).isEqualTo(expected);
        }
        page.navigate(portal.url("dashboard"));
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-unpaid-banner");

        page.navigate(portal.url("invoices"));
        assertThat(page.textContent("tbody tr")).contains(d.number()).contains("January 1, 2030").contains("Past due").contains("$6.39");
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-invoices");

        // Pay with the card on file: declined again, the gateway's reason shown, nothing else changed.
        page.click(".banner a:has-text('Pay invoice')");
        page.waitForURL(portal.url("invoices/" + d.invoice()));
        page.click("button:has-text('Pay $6.39')");
        assertThat(page.textContent("#pay-error")).isEqualTo(
                "The payment did not go through: your card was declined for insufficient funds. Nothing was charged. Try another card or add a new one.");
        ApiClient.Res still = d.seller().api().get("/v1/invoices/" + d.invoice());
        assertThat(still.json().get("status").asText()).isEqualTo("open");
        assertThat(still.json().get("amount_due").asLong()).isEqualTo(639);
        assertThat(page.textContent(".banner p")).isEqualTo(expected);
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-invoice-declined");

        // Add a card from the banner: it comes back to the invoice, where the new card is chosen and pays.
        page.click(".banner a:has-text('Add a card')");
        page.check("input[value=tok_visa]");
        page.click("button:has-text('Save payment method')");
        page.waitForURL(portal.url("invoices/" + d.invoice()));
        page.selectOption("#f-payment_method", new com.microsoft.playwright.options.SelectOption().setLabel("Visa ending in 4242 (primary)"));
        page.click("button:has-text('Pay $6.39')");
        page.waitForURL(portal.url("invoices/" + d.invoice()));
        assertThat(page.textContent(".flash")).isEqualTo("Thank you: invoice " + d.number() + " is paid ($6.39).");
        assertThat(page.locator(".banner").count()).isZero();
        // The receipt: the payment with its date (in Berlin) and card, and the declines before it.
        assertThat(page.textContent("#receipt-title")).isEqualTo("Receipt");
        assertThat(page.locator("section:has(#receipt-title) table").first().textContent())
                .contains("January 1, 2030").contains("Visa ending in 4242").contains("$6.39");
        assertThat(page.locator("section:has(#receipt-title) table").nth(1).textContent())
                .contains("Visa ending in 9995").contains("Your card was declined for insufficient funds");
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-invoice-paid");
        for (String p : List.of("dashboard", "invoices")) {
            page.navigate(portal.url(p));
            assertThat(page.locator(".banner").count()).as(p).isZero();
        }
        assertThat(d.seller().api().get("/v1/invoices/" + d.invoice() + "/payments").json().get("data")).hasSize(1);
    }

    /**
     * SPEC §1 (decision 086): only users holding manage_users see anything about billing. A member of an account with a
     * past-due invoice learns on every page they reach that an owner or admin must resolve a problem, and what it means
     * for their work, but no invoice number, amount, card or decline reason; the owner still gets the whole notice.
     */
    @Test
    void membersSeeNoBillingDetailOnAnyPageWhileOwnersSeeTheWholeNotice() {
        Page page = browser().page();
        Declined d = declinedInvoice(page, "Member Works", "owner@member-works.example");
        Browser.Portal portal = d.seller().portal();
        String license = d.seller().api().get("/v1/accounts/" + d.account() + "/licenses").json().at("/data/0/id").asText();
        PaymentCustomers.addMember(browser(), portal, d.account(), "mel@member-works.example");
        Page member = browser().secondPage();
        PaymentCustomers.logIn(member, portal, "mel@member-works.example");
        List<String> reachable = List.of("dashboard", "licenses", "licenses?tab=unassigned", "licenses?page=2", "licenses/issue",
                "licenses/" + license + "/assign", "licenses/" + license + "/revoke", "licenses/new/" + license, "billing", "billing/seats",
                "invoices", "invoices/" + d.invoice(), "payment-methods", "payment-methods/new", "company", "users", "no-such-page");

        for (String p : reachable) {
            member.navigate(portal.url(p));
            assertNoBillingDetail(member, d, p);
            assertThat(member.textContent(".banner h2")).as(p).isEqualTo("Your account needs attention");
            assertThat(member.textContent(".banner p")).as(p).isEqualTo("There is a problem with your account that an owner or "
                    + "admin must resolve. From January 15 you cannot issue new licenses. Please ask an owner or admin of your account.");
            assertThat(member.locator(".banner a").count()).as(p).isZero();
        }
        member.navigate(portal.url("dashboard"));
        browser().assertAccessible(member);
        browser().screenshots(member, "portal-member-unpaid-banner");

        // The owner, meanwhile, sees which invoice, how much, why, and the way to pay.
        page.navigate(portal.url("dashboard"));
        assertThat(page.textContent(".banner h2")).isEqualTo("You have an unpaid invoice");
        assertThat(page.textContent(".banner p")).isEqualTo("Invoice " + d.number() + " for $6.39 is past due: your card was "
                + "declined for insufficient funds. From January 15 you cannot issue new licenses.");
        assertThat(page.locator(".banner a").allTextContents()).containsExactly("Pay invoice", "Add a card");

        // Once new licenses are blocked the member's issue page says so, still without the invoice or the card.
        ApiClient.Res r = d.seller().api().post("/v1/test_clock/advance", "{\"to\":\"2030-01-16T00:00:00Z\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        for (String p : reachable) {
            member.navigate(portal.url(p));
            assertNoBillingDetail(member, d, p);
        }
        member.navigate(portal.url("licenses/issue"));
        assertThat(member.textContent(".notice")).contains("You cannot issue licenses right now")
                .contains("an owner or admin must resolve").contains("licenses already issued keep working");
        assertThat(member.locator(".notice a").count()).isZero();
        assertThat(member.isDisabled("button:has-text('Issue licenses')")).isTrue();
        browser().assertAccessible(member);
        member.context().close();
    }

    /** Neither the page's text nor its markup (links, attributes) tells a member anything of the invoice or the card. */
    private static void assertNoBillingDetail(Page member, Declined d, String p) {
        String text = member.locator("body").innerText();
        String html = member.content();
        assertThat(text).as(p).doesNotContain(d.number()).doesNotContain("6.39").doesNotContainIgnoringCase("invoice")
                .doesNotContainIgnoringCase("declined").doesNotContainIgnoringCase("insufficient").doesNotContainIgnoringCase("card")
                .doesNotContainIgnoringCase("past due");
        assertThat(html).as(p).doesNotContain(d.number()).doesNotContain(d.invoice()).doesNotContain("6.39")
                .doesNotContain("payment-methods").doesNotContain("/invoices");
    }

    /**
     * SPEC §4 "every line says what it is for", on the invoice page as in the PDF. On 10 December 2029 a seats
     * subscription (49.00 with 3 seats, 2 extra at 15.00) with 20 % off forever: 79.00 − 15.80 = 63.20; two licenses
     * at 9.00 issued that day, one assigned to a site, billed for December's 22 of 31 days on 1 January 2030:
     * 900 × 22 / 31 = 6.39 each.
     */
    @Test
    void theInvoicePageSaysWhatEachLineIsForAndItsDiscounts() {
        Page page = browser().page();
        PaymentCustomers.Seller seller = PaymentCustomers.seller(browser(), START);
        ApiClient api = seller.api();
        Browser.Portal portal = seller.portal();
        String account = browser().signedUpCustomer(page, portal, "Lines Ltd", "lines@lines.example").account();
        Fixtures.attachCard(api, account, "tok_visa");
        String coupon = Billing.ok(api.post("/v1/coupons", "{\"name\":\"Launch\",\"percent_off\":20,\"duration\":\"forever\"}")).str("id");
        Billing.ok(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + Billing.seatsPlan(api)
                + "\",\"seats\":5,\"coupon\":\"" + coupon + "\"}"));
        String licensePlan = Fixtures.licensePlan(api, "usd", 900);
        String onSite = Fixtures.issueOne(api, account, licensePlan);
        String spare = Fixtures.issueOne(api, account, licensePlan);
        browser().server.app.licensing.assign(portal.tenant(), onSite, "https://lines.example");
        ApiClient.Res r = api.post("/v1/test_clock/advance", "{\"to\":\"2030-01-01T00:00:00Z\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        var invoices = api.get("/v1/accounts/" + account + "/invoices").json().get("data");
        assertThat(invoices).hasSize(2);
        String licenses = invoices.get(0).get("id").asText(), subscription = invoices.get(1).get("id").asText();

        page.navigate(portal.url("invoices/" + subscription));
        var rows = page.locator("#invoice-lines table.table tbody tr");
        assertThat(rows.count()).isEqualTo(2);
        assertThat(rows.nth(0).textContent()).contains("Team").contains("December 10, 2029 – January 10, 2030").contains("$49.00");
        assertThat(rows.nth(1).textContent()).contains("Team").contains("2 extra").contains("$30.00");
        assertThat(page.locator(".invoice-totals tbody tr").allTextContents()).satisfiesExactly(
                sub -> assertThat(sub).contains("Subtotal").contains("$79.00"),
                off -> assertThat(off).contains("Launch").contains("−$15.80"));
        assertThat(page.textContent("#invoice-total")).isEqualTo("$63.20");
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-invoice-discount");

        page.navigate(portal.url("invoices/" + licenses));
        rows = page.locator("#invoice-lines table.table tbody tr");
        assertThat(rows.count()).isEqualTo(2);
        var app = browser().server.app;
        String siteRow = rows.filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("https://lines.example")).textContent();
        assertThat(siteRow).contains("…" + app.licensing.get(portal.tenant(), onSite).keySuffix())
                .contains("December 1 – 31, 2029").contains("22 days").contains("$6.39");
        String spareRow = rows.filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText(
                "…" + app.licensing.get(portal.tenant(), spare).keySuffix())).textContent();
        assertThat(spareRow).doesNotContain("https://").contains("22 days").contains("$6.39");
        assertThat(page.textContent("#invoice-total")).isEqualTo("$12.78");
        assertThat(page.locator("#more-lines").count()).isZero();
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-invoice-lines");
    }

    @Test
    void thePdfIsTheApisAndADoubleSubmittedPayChargesOnce() throws Exception {
        Page page = browser().page();
        Declined d = declinedInvoice(page, "Pdf Co", "pdf@pdf.example");
        Browser.Portal portal = d.seller().portal();
        page.navigate(portal.url("invoices"));
        Download download = page.waitForDownload(() -> page.click("a:has-text('PDF')"));
        byte[] bytes = Files.readAllBytes(download.path());
        assertThat(new String(bytes, 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
        assertThat(download.suggestedFilename()).isEqualTo(d.number() + ".pdf");
        // The API's PDF: the same document (only its creation time and file id, stamped per rendering, differ).
        byte[] api = java.net.http.HttpClient.newHttpClient().send(d.seller().api().request("/v1/invoices/" + d.invoice() + "/pdf").GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
        String title = "/Title(Invoice " + d.number() + ")";
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).contains(title);
        assertThat(new String(api, StandardCharsets.ISO_8859_1)).contains(title);
        assertThat(bytes.length).isEqualTo(api.length);

        String card = Fixtures.attachCard(d.seller().api(), d.account(), "tok_visa");
        page.navigate(portal.url("invoices/" + d.invoice()));
        page.selectOption("#f-payment_method", card);
        // The Pay form sent twice at once, as a double click sends it: one payment.
        page.evaluate("() => { const f = document.querySelector('form.pay-form'); const d = new FormData(f);"
                + " return Promise.all([1, 2].map(() => fetch(f.action, {method: 'POST', body: new URLSearchParams(d), redirect: 'manual'})))"
                + ".then(rs => rs.length); }");
        assertThat(d.seller().api().get("/v1/invoices/" + d.invoice() + "/payments").json().get("data")).hasSize(1);
        assertThat(d.seller().api().get("/v1/invoices/" + d.invoice()).json().get("status").asText()).isEqualTo("paid");
    }

    @Test
    void anotherAccountsInvoiceIsNotFound() {
        Page page = browser().page();
        Declined d = declinedInvoice(page, "Mine Ltd", "me@mine.example");
        Browser.Portal portal = d.seller().portal();
        String other = Fixtures.payingAccount(d.seller().api(), "Other", "usd");
        ApiClient.Res r = d.seller().api().post("/v1/accounts/" + other + "/invoices",
                "{\"lines\":[{\"description\":\"Setup\",\"amount\":5000}]}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        String otherInvoice = r.str("id");
        for (String p : List.of("invoices/" + otherInvoice, "invoices/" + otherInvoice + "/pdf", "invoices/in_nothing",
                "invoices?starting_after=" + otherInvoice)) {
            Response resp = page.navigate(portal.url(p));
            assertThat(resp.status()).as(p + " " + r.text()).isEqualTo(404);
        }
        assertThat(page.textContent("h1")).isNotEmpty();
    }
}

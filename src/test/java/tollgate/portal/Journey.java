package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import com.microsoft.playwright.options.SelectOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import tollgate.testing.ApiClient;
import tollgate.testing.Browser;
import tollgate.testing.Fixtures;

/**
 * Issue 13's "must be true" point 1, one customer's whole way in Chromium (decision 039 names the other tests that
 * prove the gate, CSRF, fixation and throttling). An agency in Berlin signs up on December 10, 2029, adds the
 * sandbox's "always declined" card, issues a bundle of three 19.00-a-month licenses, assigns one and revokes it (the
 * bundle refills). On January 1, 2030 the month is invoiced: three live licenses × 19.00 × 22 / 31 days = 13.48 each
 * (1,348.39 cents, half-even), the revoked one nothing (revoked at the instant it was issued: no active day) — $40.44.
 * The card declines; licenses_default blocks new licenses 14 days later, on January 15. A new card pays it.
 */
abstract class Journey {
    /** The browser, against the server of the database the subclass names. */
    abstract Browser browser();

    static final Instant START = Instant.parse("2029-12-10T09:00:00Z");

    @Test
    void signUpIssueAssignRevokeGetInvoicedDeclinedAndPaid() throws Exception {
        PaymentCustomers.Seller seller = PaymentCustomers.seller(browser(), START);
        ApiClient api = seller.api();
        Browser.Portal portal = seller.portal();
        String plan = Fixtures.licensePlan(api, "usd", 1900);
        Page page = browser().page();
        page.setDefaultTimeout(30_000);
        browser().context().grantPermissions(List.of("clipboard-read", "clipboard-write"));

        // Sign up.
        Browser.Customer customer = browser().signedUpCustomer(portal, "Northwind Studio", "ada@northwind.example");

        // Add a card: with none on file, issuing sends the customer to the add-card step first, then back.
        page.navigate(portal.url("licenses/issue"));
        assertThat(page.textContent(".notice")).contains("Step 1: add a card");
        page.click(".notice a");
        page.waitForURL(portal.url("payment-methods/new?return=licenses/issue"));
        page.check("input[value=tok_chargeDeclinedInsufficientFunds]");
        page.click("button:has-text('Save payment method')");
        page.waitForURL(portal.url("licenses/issue"));

        // Issue three licenses as a bundle.
        page.selectOption("#f-plan", plan);
        page.fill("#f-quantity", "3");
        page.click("button:has-text('Issue licenses')");
        page.waitForURL("**/licenses/new/bndl_*");
        assertThat(page.textContent("h1")).isEqualTo("Your 3 new licenses are ready");
        List<String> keys = page.locator(".key-full").allTextContents();
        assertThat(keys).hasSize(3);

        // Copy a key.
        page.locator("button[data-copy]").first().click();
        page.waitForSelector("button[data-copied]");
        assertThat(page.evaluate("navigator.clipboard.readText()")).isEqualTo(keys.get(0));

        // Assign it.
        page.locator("a:has-text('Assign now')").first().click();
        page.waitForSelector("#confirm-dialog[open]");
        page.keyboard().type("https://shop.northwind.example");
        page.keyboard().press("Enter");
        page.waitForURL(portal.url("licenses"));
        assertThat(page.textContent(".flash")).contains("is assigned to https://shop.northwind.example");

        // Revoke it and see the bundle refill: still three unassigned-or-assigned licenses, one revoked.
        page.navigate(portal.url("licenses?tab=assigned"));
        page.click("a[data-confirm]:has-text('Revoke')");
        page.waitForSelector("#confirm-dialog[open]");
        page.click("#confirm-dialog button:has-text('Revoke license')");
        page.waitForURL(portal.url("licenses?tab=revoked"));
        assertThat(page.textContent(".flash")).contains("Its bundle refilled");
        assertThat(page.textContent("tbody")).contains(keys.get(0).substring(24));
        page.navigate(portal.url("licenses?tab=unassigned"));
        assertThat(page.locator("tbody tr").count()).isEqualTo(3);
        assertThat(page.textContent("tbody")).contains(keys.get(1).substring(24)).contains(keys.get(2).substring(24));

        // Advance the test clock past midnight of January 1 in Berlin: the invoice, and its charge declined.
        ApiClient.Res advanced = api.post("/v1/test_clock/advance", "{\"to\":\"2030-01-01T00:00:00Z\"}");
        assertThat(advanced.status()).as(advanced.text()).isEqualTo(200);
        ApiClient.Res listed = api.get("/v1/accounts/" + customer.account() + "/invoices");
        String invoice = listed.json().at("/data/0/id").asText();
        String number = listed.json().at("/data/0/number").asText();
        assertThat(listed.json().at("/data/0/total").asLong()).isEqualTo(3 * 1348);

        // The invoice with exact cents.
        page.navigate(portal.url("invoices"));
        assertThat(page.textContent("tbody tr")).contains(number).contains("January 1, 2030").contains("Past due").contains("$40.44");
        page.navigate(portal.url("invoices/" + invoice));
        assertThat(page.textContent("main")).contains(number).contains("$40.44");

        // Its PDF: a PDF document that names the invoice and its total.
        page.navigate(portal.url("invoices"));
        Download download = page.waitForDownload(() -> page.click("a:has-text('PDF')"));
        byte[] pdf = Files.readAllBytes(download.path());
        assertThat(new String(pdf, 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            assertThat(new PDFTextStripper().getText(doc)).contains(number).contains("40.44").contains("13.48");
        }

        // The declined card, and the banner with the right dates on every page.
        String expected = "Invoice " + number + " for $40.44 is past due: your card was declined for insufficient funds. "
                + "From January 15 you cannot issue new licenses.";
        for (String p : List.of("dashboard", "licenses", "invoices")) {
            page.navigate(portal.url(p));
            assertThat(page.textContent(".banner p")).as(p).isEqualTo(expected);
        }

        // A Pay forged without the CSRF token is refused and charges nothing.
        APIResponse forged = page.request().post(portal.url("invoices/" + invoice + "/pay"),
                RequestOptions.create().setForm(FormData.create().set("payment_method", "pm_any")).setMaxRedirects(0));
        assertThat(forged.status()).isEqualTo(403);

        // Pay with a new card, added from the banner: it comes back to the invoice.
        page.navigate(portal.url("dashboard"));
        page.click(".banner a:has-text('Add a card')");
        page.check("input[value=tok_visa]");
        page.click("button:has-text('Save payment method')");
        page.waitForURL(portal.url("invoices/" + invoice));
        page.selectOption("#f-payment_method", new SelectOption().setLabel("Visa ending in 4242 (primary)"));
        page.click("button:has-text('Pay $40.44')");
        page.waitForURL(portal.url("invoices/" + invoice));
        assertThat(page.textContent(".flash")).isEqualTo("Thank you: invoice " + number + " is paid ($40.44).");

        // The banner is gone.
        for (String p : List.of("invoices/" + invoice, "dashboard", "licenses")) {
            page.navigate(portal.url(p));
            assertThat(page.locator(".banner").count()).as(p).isZero();
        }
        assertThat(api.get("/v1/invoices/" + invoice).json().get("status").asText()).isEqualTo("paid");
    }
}

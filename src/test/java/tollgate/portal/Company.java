package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static tollgate.portal.Billing.ok;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import tollgate.testing.ApiClient;
import tollgate.testing.Browser;

/** Company details in Chromium (decision 036): kept values and messages, escaping on the page and in the PDF, the zone rule. */
abstract class Company {
    /** The browser, against the server of the database the subclass names. */
    abstract Browser browser();

    static final String SCRIPT = "<script>window.__pwned=true</script><b>Bold & Co</b>";

    @Test
    void badInputIsKeptWithMessagesAndScriptComesOutAsTextOnThePageAndInTheInvoice() throws Exception {
        ApiClient api = browser().server.newTenantAt(Instant.parse("2027-03-10T09:00:00Z"));
        Browser.Portal portal = browser().portalOf(api);
        Page page = browser().page();
        AtomicBoolean dialog = new AtomicBoolean();
        page.onDialog(d -> { dialog.set(true); d.dismiss(); });
        String account = browser().signedUpCustomer(portal, "Tailspin Toys", "ops@tailspin.example").account();

        page.navigate(portal.url("company"));
        assertThat(page.inputValue("#f-company")).isEqualTo("Tailspin Toys");
        assertThat(page.inputValue("#f-city")).isEqualTo("Berlin");
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-company");

        page.fill("#f-company", SCRIPT);
        page.fill("#f-email", "not an email");
        page.fill("#f-postal_code", "1".repeat(21));
        page.fill("#f-city", "Köln <i>am Rhein</i>");
        Response refused = page.waitForNavigation(() -> page.click("button:has-text('Save details')"));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(page.textContent("#f-email-error")).contains("like billing@example.com");
        assertThat(page.textContent("#f-postal_code-error")).contains("at most 20 characters");
        assertThat(page.inputValue("#f-company")).isEqualTo(SCRIPT);
        assertThat(page.inputValue("#f-email")).isEqualTo("not an email");
        assertThat(page.inputValue("#f-city")).isEqualTo("Köln <i>am Rhein</i>");
        assertThat(page.getAttribute("#f-email", "aria-invalid")).isEqualTo("true");
        browser().assertAccessible(page);

        page.fill("#f-email", "billing@tailspin.example");
        page.fill("#f-postal_code", "50667");
        page.fill("#f-vat_id", "DE999999999");
        page.click("button:has-text('Save details')");
        page.waitForURL(portal.url("company"));
        assertThat(page.textContent(".flash")).contains("Your company details are saved");
        assertThat(page.inputValue("#f-company")).isEqualTo(SCRIPT);
        assertThat(page.textContent(".account-name")).isEqualTo(SCRIPT);
        assertThat((Object) page.evaluate("() => window.__pwned === true")).isEqualTo(false);
        assertThat(page.locator("header b").count()).isZero();
        assertThat(dialog.get()).isFalse();
        ApiClient.Res got = ok(api.get("/v1/accounts/" + account));
        assertThat(got.str("name")).isEqualTo(SCRIPT);
        assertThat(got.str("email")).isEqualTo("billing@tailspin.example");
        assertThat(got.json().get("company").get("tax_id").asText()).isEqualTo("DE999999999");

        // The next invoice carries the details as text.
        ok(api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"tok_visa\"}"));
        String plan = ok(api.post("/v1/plans", "{\"name\":\"Starter\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":1900,\"interval\":\"month\"}")).str("id");
        ok(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}"));
        String invoice = ok(api.get("/v1/accounts/" + account + "/invoices")).json().get("data").get(0).get("id").asText();
        String pdf;
        try (PDDocument doc = Loader.loadPDF(browser().server.app.invoices.pdf(api.tenant, invoice).bytes())) {
            pdf = new PDFTextStripper().getText(doc).replaceAll("\\s+", " ");
        }
        assertThat(pdf).contains("<b>Bold & Co</b>").contains("Köln <i>am Rhein</i>").contains("DE999999999");
    }

    @Test
    void aNewTimeZoneWaitsForTheLicenseMonthAndThePageSaysSo() {
        ApiClient api = browser().server.newTenantAt(Instant.parse("2027-03-10T09:00:00Z"));
        Browser.Portal portal = browser().portalOf(api);
        Page page = browser().page();
        String account = browser().signedUpCustomer(portal, "Adatum", "it@adatum.example").account();
        ok(api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"tok_visa\"}"));
        String plan = ok(api.post("/v1/plans", "{\"name\":\"Site license\",\"type\":\"license\",\"currency\":\"usd\",\"amount\":3100}")).str("id");
        ok(api.post("/v1/accounts/" + account + "/licenses", "{\"plan\":\"" + plan + "\"}"));

        page.navigate(portal.url("company"));
        page.selectOption("#f-timezone", "America/New_York");
        page.click("button:has-text('Save details')");
        page.waitForURL(portal.url("company"));
        assertThat(page.textContent(".flash")).contains("The time zone America/New_York applies once this month's licenses are billed");
        assertThat(page.textContent("#pending-zone")).contains("America/New_York takes effect").contains("Europe/Berlin applies");
        assertThat(page.inputValue("#f-timezone")).isEqualTo("America/New_York");
        ApiClient.Res got = ok(api.get("/v1/accounts/" + account));
        assertThat(got.str("timezone")).isEqualTo("Europe/Berlin");
        assertThat(got.str("pending_timezone")).isEqualTo("America/New_York");
    }

}

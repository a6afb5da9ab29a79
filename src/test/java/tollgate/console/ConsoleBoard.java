package tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tollgate.staff.StaffRole;
import tollgate.testing.ApiClient;
import tollgate.testing.Browser;
import tollgate.testing.Fixtures;
import tollgate.testing.Scenario;

/**
 * The console's home, invoice list and dunning board (issue 14 points 2 and 4, decision 046) in Chromium. The
 * seller starts on 10 December 2029, 09:00 UTC: Northwind Studio (card declines) gets a $9.00/month license, billed
 * 900 × 22 / 31 = $6.39 on 1 January 2030, declined, so past due; Contoso and Fabrikam (cards that pay) subscribe to
 * Hosting, flat $25.00 a month, billed $25.00 on 10 December and again on 10 January; Lumen GmbH pays €120.00 a year
 * (an MRR of €10.00). On 12 January Fabrikam cancels. As of 12 January: January invoiced $6.39 + $25.00 + $25.00 =
 * $56.39, collected $50.00, outstanding and past due $6.39; MRR $25.00 + $9.00 = $34.00, against $59.00 at the end of
 * December (−$25.00); one account in dunning; one subscription churned.
 */
abstract class ConsoleBoard {
    /** The browser, against the server of the database the subclass names. */
    abstract Browser browser();

    static final Instant START = Instant.parse("2029-12-10T09:00:00Z");

    record Seller(ApiClient api, Browser.Console console, String northwind, String declined) {}

    private Seller seller() {
        ApiClient api = Scenario.tenantAt(browser().server, START);
        Browser.Console console = browser().consoleOf(api);
        String northwind = api.newAccount("Northwind Studio", "usd", "UTC");
        Fixtures.attachCard(api, northwind, "tok_chargeDeclinedInsufficientFunds");
        Fixtures.issueOne(api, northwind, Fixtures.licensePlan(api, "usd", 900));
        String hosting = Fixtures.flatPlan(api, "usd");
        String contoso = Fixtures.payingAccount(api, "Contoso, \\\"West\\\"", "usd");
        String fabrikam = Fixtures.payingAccount(api, "Fabrikam", "usd");
        for (String a : new String[] {contoso, fabrikam})
            assertThat(api.post("/v1/accounts/" + a + "/subscriptions", "{\"plan\":\"" + hosting + "\"}").status()).isEqualTo(200);
        ApiClient.Res yearly = api.post("/v1/plans", "{\"name\":\"Archive\",\"type\":\"flat\",\"currency\":\"eur\",\"amount\":12000,\"interval\":\"year\"}");
        assertThat(yearly.status()).as(yearly.text()).isEqualTo(200);
        String lumen = Fixtures.payingAccount(api, "Lumen GmbH", "eur");
        assertThat(api.post("/v1/accounts/" + lumen + "/subscriptions", "{\"plan\":\"" + yearly.str("id") + "\"}").status()).isEqualTo(200);
        ApiClient.Res r = api.post("/v1/test_clock/advance", "{\"to\":\"2030-01-12T10:00:00Z\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        String fabrikamSub = api.get("/v1/accounts/" + fabrikam + "/subscriptions").json().at("/data/0/id").asText();
        assertThat(api.post("/v1/subscriptions/" + fabrikamSub + "/cancel", "{}").status()).isEqualTo(200);
        String declined = api.get("/v1/accounts/" + northwind + "/invoices").json().at("/data/0/id").asText();
        assertThat(api.get("/v1/invoices/" + declined).json().at("/amount_due").asLong()).isEqualTo(639);
        return new Seller(api, console, northwind, declined);
    }

    @Test
    void homeShowsThisMonthsFiguresPerCurrencyAndTwelveMonthsAsCharts() {
        Seller s = seller();
        Page page = browser().page();
        browser().signIn(page, s.console(), s.console().ownerEmail());
        System.out.println(page.textContent("main"));
        assertThat(page.textContent("#figures-USD")).contains("January 2030 in USD");
        assertThat(page.textContent("[aria-labelledby=figures-USD] [data-figure=invoiced]")).isEqualTo("$56.39");
        assertThat(page.textContent("[aria-labelledby=figures-USD] [data-figure=collected]")).isEqualTo("$50.00");
        assertThat(page.textContent("[aria-labelledby=figures-USD] [data-figure=outstanding]")).isEqualTo("$6.39");
        assertThat(page.textContent("[aria-labelledby=figures-USD] [data-figure=past-due]")).isEqualTo("$6.39");
        assertThat(page.textContent("[aria-labelledby=figures-USD] [data-figure=mrr]")).isEqualTo("$34.00");
        assertThat(page.textContent("[aria-labelledby=figures-USD] [data-figure=mrr-change]")).isEqualTo("-$25.00 (-42.4 %) since last month");
        assertThat(page.textContent("[aria-labelledby=figures-EUR] [data-figure=mrr]")).isEqualTo("€10.00");
        assertThat(page.textContent("[data-figure=in-dunning]")).isEqualTo("1");
        assertThat(page.textContent("#dunning-title ~ table tbody")).contains("Day 0 · notify");
        assertThat(page.textContent("[data-figure=churned]")).isEqualTo("1");
        assertThat(page.locator("svg.chart-svg title").allTextContents()).contains("MRR, USD, last 12 months", "Collected, USD, last 12 months");
        assertThat(page.locator("#mrr-usd-title ~ table tbody tr").allTextContents()).hasSize(12)
                .contains("December 2029$59.00", "January 2030$34.00", "November 2029$0.00");
        assertThat(page.locator("#collected-usd-title ~ table tbody tr").allTextContents())
                .contains("December 2029$50.00", "January 2030$50.00");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-home");
    }

    @Test
    void invoicesFilterPageAndExportTheSameListAsCsv() {
        Seller s = seller();
        Page page = browser().page();
        browser().signIn(page, s.console(), browser().addStaff(s.console(), StaffRole.READ_ONLY, "Rita Reader"));
        page.click(".nav a:has-text('Invoices')");
        System.out.println(page.textContent("#invoice-list"));
        browser().assertAccessible(page);
        browser().screenshots(page, "console-invoices");
        assertFiltersFitAPhone(page);
        page.check("input[name=past_due]");
        page.click("button:has-text('Filter')");
        assertThat(page.locator("#invoice-list tbody tr").count()).isEqualTo(1);
        assertThat(page.textContent("#invoice-list")).contains("Northwind Studio").contains("$6.39");
        page.navigate(s.console().url("invoices?from=2030-13-01"));
        assertThat(page.textContent("#f-from-error")).isEqualTo("Give a date as YYYY-MM-DD.");
        assertThat(page.getAttribute("#f-from", "value")).isEqualTo("2030-13-01");
        browser().assertAccessible(page);

        APIResponse csv = page.request().get(s.console().url("invoices.csv?currency=usd&from=2030-01-10&to=2030-01-10"));
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.headers().get("content-type")).startsWith("text/csv");
        System.out.println(csv.text());
        assertThat(csv.text().split("\r\n")).hasSize(3);
        assertThat(csv.text()).startsWith("number,id,account_id,account_name,status,currency,billing_date,issued_at,total,amount_paid,amount_due\r\n")
                .contains(",\"Contoso, \"\"West\"\"\",paid,USD,2030-01-10T09:00:00Z,").contains(",25.00,25.00,0.00\r\n");
    }

    @Test
    void theDunningBoardShowsTheAccountAtItsStepWithTheNextActionAndItsDate() {
        Seller s = seller();
        Page page = browser().page();
        browser().signIn(page, s.console(), browser().addStaff(s.console(), StaffRole.SUPPORT, "Sam Support"));
        page.click(".nav a:has-text('Dunning')");
        System.out.println(page.textContent("main"));
        assertThat(page.textContent(".board")).contains("Northwind Studio").contains("$6.39");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-dunning");
    }

    /** At 390 px wide (a phone), every field of the filter form stays on the screen: the form wraps, nothing runs past. */
    static void assertFiltersFitAPhone(Page page) {
        page.setViewportSize(390, 844);
        Object past = page.evaluate("() => [...document.querySelectorAll('.filters .field, .filters input, .filters select')]"
                + ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth).length");
        page.setViewportSize(1280, 900);
        assertThat(((Number) past).intValue()).as("filter fields past a 390 px screen's edge").isZero();
    }
}

package tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import com.microsoft.playwright.options.SelectOption;
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
 * The console's remaining account actions (issue 14 point 3, decision 049) in Chromium: pause dunning until a date,
 * give free periods, and view the customer's portal read only — each asked first, done once when sent twice, audited
 * once, refused to read_only members, and 404 on another tenant's objects. The seller: a $9.00 license plan; the
 * customer's license from 10 December 2029 is invoiced $6.39 on 1 January 2030 (Berlin), the card declines, and
 * licenses_default would block new licenses on January 15 and revoke every license on January 29.
 */
abstract class ConsoleAccountActions {
    /** The browser, against the server of the database the subclass names. */
    abstract Browser browser();

    static final Instant START = Instant.parse("2029-12-10T09:00:00Z");

    record Seller(ApiClient api, Browser.Console console, String account, String invoice) {}

    private Seller sellerWithADeclinedInvoice() {
        ApiClient api = Scenario.tenantAt(browser().server, START);
        Browser.Console console = browser().consoleOf(api);
        String account = api.newAccount("Northwind Studio", "usd", "Europe/Berlin");
        return new Seller(api, console, account, Fixtures.declinedFirstInvoice(api, account).get("id").asText());
    }

    private static APIResponse post(Page page, String url, FormData form) {
        return page.request().post(url, RequestOptions.create().setMaxRedirects(0).setForm(form));
    }

    private static String csrfOf(Page page) {
        return page.locator("body").getAttribute("hx-headers").replaceAll(".*\"X-CSRF-Token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }

    private List<AuditEntry> audited(Seller s, String action) {
        return browser().server.app.audit.search(s.api().tenant, Audit.Query.all(), 50).stream().filter(e -> e.action().equals(action)).toList();
    }

    @Test
    void supportPausesDunningUntilJanuary20OnceAndTheTimelineAndTheBoardWaitForIt() {
        Seller s = sellerWithADeclinedInvoice();
        String agent = browser().addStaff(s.console(), StaffRole.SUPPORT, "Sam Support");
        Page page = browser().page();
        browser().signIn(page, s.console(), agent);
        page.navigate(s.console().url("accounts/" + s.account()));
        page.click(".page-actions a:has-text('Pause dunning')");
        assertThat(page.textContent(".consequences")).contains("postponed, not skipped");

        page.fill("#f-resume_on", "2029-12-31");
        page.click("button:has-text('Pause dunning')");
        assertThat(page.textContent("#f-resume_on-error")).contains("Choose a day after today (2030-01-01");
        page.fill("#f-resume_on", "2030-06-01");
        page.click("button:has-text('Pause dunning')");
        assertThat(page.textContent("#f-resume_on-error")).contains("at most 90 days").contains("2030-04-01");
        assertThat(page.inputValue("#f-resume_on")).isEqualTo("2030-06-01");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-pause-dunning");

        // The corrected form sent twice with its one token (a double click): one pause, one event, one audit line.
        page.fill("#f-resume_on", "2030-01-20");
        String csrf = page.inputValue("input[name=_csrf]");
        String once = page.inputValue("input[name=_once]");
        for (int i = 0; i < 2; i++) {
            APIResponse r = post(page, s.console().url("accounts/" + s.account() + "/act/pause-dunning"),
                    FormData.create().set("_csrf", csrf).set("_once", once).set("resume_on", "2030-01-20"));
            assertThat(r.status()).isEqualTo(303);
            assertThat(r.headers().get("location")).isEqualTo("/console/accounts/" + s.account());
        }
        assertThat(s.api().get("/v1/events?type=account.dunning_paused").json().at("/data")).hasSize(1);
        assertThat(audited(s, "account.dunning_paused")).singleElement().satisfies(e -> {
            assertThat(e.actor().label()).isEqualTo(agent);
            assertThat(e.after()).contains("\"paused_until\":\"2030-01-20\"");
        });

        page.navigate(s.console().url("accounts/" + s.account()));
        assertThat(page.locator(".page-head .badge").allTextContents()).contains("in dunning", "dunning paused until Jan 20, 2030");
        assertThat(page.textContent("#dunning-paused")).contains("Paused until Jan 20, 2030");
        // Block (day 14) moves from January 15 to 20; revoke (day 28) keeps its 14 days after it: January 29 → February 3.
        String timeline = page.textContent("#dunning-title ~ table");
        assertThat(timeline).contains("Jan 20, 2030").contains("block new licenses").contains("Feb 3, 2030").doesNotContain("Jan 15, 2030");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-account-paused");

        // The board is tenant-wide and dates in UTC (decision 046): 00:00 on January 20 in Berlin is January 19, 23:00 UTC.
        page.navigate(s.console().url("dunning"));
        assertThat(page.textContent(".board")).contains("Northwind Studio").contains("block new licenses on Jan 19, 2030")
                .contains("paused until Jan 20, 2030");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-dunning-paused");

        // Through January 19 nothing is blocked; on January 20 the block comes.
        s.api().post("/v1/test_clock/advance", "{\"to\":\"2030-01-19T22:00:00Z\"}");
        assertThat(s.api().get("/v1/accounts/" + s.account() + "/entitlements").json().at("/can_issue_licenses").asBoolean()).isTrue();
        s.api().post("/v1/test_clock/advance", "{\"to\":\"2030-01-20T00:00:00Z\"}");
        assertThat(s.api().get("/v1/accounts/" + s.account() + "/entitlements").json().at("/can_issue_licenses").asBoolean()).isFalse();
        // The account's page shows the entitlements as they now stand (issue 14 point 3).
        page.navigate(s.console().url("accounts/" + s.account()));
        assertThat(page.locator(".page-head .badge").allTextContents()).contains("in dunning", "new licenses blocked")
                .doesNotContain("dunning paused until Jan 20, 2030");
    }

    @Test
    void supportGivesTwoFreeMonthsOnceAndTheRenewalCarriesTheDiscountLine() {
        Seller s = sellerWithADeclinedInvoice();
        String customer = s.api().newPayingAccount("Contoso", "usd", "UTC");
        String plan = Fixtures.flatPlan(s.api(), "usd");
        ApiClient.Res sub = s.api().post("/v1/accounts/" + customer + "/subscriptions", "{\"plan\":\"" + plan + "\"}");
        assertThat(sub.status()).as(sub.text()).isEqualTo(200);
        String agent = browser().addStaff(s.console(), StaffRole.SUPPORT, "Sam Support");
        Page page = browser().page();
        browser().signIn(page, s.console(), agent);
        page.navigate(s.console().url("accounts/" + customer));
        page.click("#subs-title + table a:has-text('Give free periods')");
        assertThat(page.textContent(".consequences")).contains("The first free renewal is on Feb 1, 2030");
        page.fill("#f-periods", "13");
        page.fill("#f-reason", "Outage on January 9");
        page.click("button:has-text('Give free periods')");
        assertThat(page.textContent("#f-periods-error")).contains("from 1 to 12");
        assertThat(page.inputValue("#f-reason")).isEqualTo("Outage on January 9");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-free-periods");

        page.fill("#f-periods", "2");
        String csrf = page.inputValue("input[name=_csrf]");
        String once = page.inputValue("input[name=_once]");
        for (int i = 0; i < 2; i++) {
            APIResponse r = post(page, s.console().url("accounts/" + customer + "/subscriptions/" + sub.str("id") + "/act/free"),
                    FormData.create().set("_csrf", csrf).set("_once", once).set("periods", "2").set("reason", "Outage on January 9"));
            assertThat(r.status()).isEqualTo(303);
        }
        assertThat(browser().server.app.subscriptions.get(s.api().tenant, sub.str("id")).billing().freePeriods()).isEqualTo(2);
        assertThat(audited(s, "subscription.free_periods_given")).hasSize(1);
        page.navigate(s.console().url("accounts/" + customer));
        assertThat(page.textContent("#subs-title + table")).contains("next 2 renewals free");

        s.api().post("/v1/test_clock/advance", "{\"to\":\"2030-02-01T00:00:00Z\"}");
        ApiClient.Res renewal = s.api().get("/v1/accounts/" + customer + "/invoices");
        assertThat(renewal.json().at("/data/0/subtotal").asLong()).isEqualTo(2500);
        assertThat(renewal.json().at("/data/0/total").asLong()).isZero();
        assertThat(renewal.json().at("/data/0/discounts/0/description").asText()).isEqualTo("Free period: Outage on January 9");
        assertThat(renewal.json().at("/data/0/discounts/0/amount").asLong()).isEqualTo(2500);
        page.navigate(s.console().url("accounts/" + customer));
        assertThat(page.textContent("#subs-title + table")).contains("next renewal free");
    }

    @Test
    void supportViewsTheCustomersPortalReadOnlyWithoutMakingACustomerSession() {
        ApiClient api = Scenario.tenantAt(browser().server, START);
        Browser.Console console = browser().consoleOf(api);
        Browser.Portal portal = new Browser.Portal(api.tenant, console.workspace(), console.baseUrl());
        Page customerPage = browser().secondPage();
        Browser.Customer customer = browser().signedUpCustomer(customerPage, portal, "Northwind Studio", "ada@northwind.example");
        String agent = browser().addStaff(console, StaffRole.SUPPORT, "Sam Support");
        Page page = browser().page();
        browser().signIn(page, console, agent);
        page.navigate(console.url("accounts/" + customer.account()));
        page.click(".page-actions a:has-text('View the portal')");
        assertThat(page.textContent(".consequences")).contains("Ada Lovelace (ada@northwind.example, owner)").contains("audit log");
        browser().assertAccessible(page);
        page.click("button:has-text('View the portal')");
        page.waitForURL(portal.url("dashboard"));
        assertThat(page.textContent(".mode-strip")).contains("Viewing as Northwind Studio — read only");
        assertThat(page.locator(".account form:has-text('Log out')").count()).isZero();
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-viewed-read-only");

        page.navigate(portal.url("company"));
        assertThat(page.locator("main input[name=company]").isDisabled()).isTrue();
        assertThat(page.locator("main button[type=submit]").first().isDisabled()).isTrue();
        String csrf = page.inputValue("main input[name=_csrf]");
        APIResponse forged = post(page, portal.url("company"), FormData.create().set("_csrf", csrf).set("company", "Hacked"));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.text()).contains("nothing can be changed");
        assertThat(api.get("/v1/accounts/" + customer.account()).json().at("/name").asText()).isEqualTo("Northwind Studio");

        // The viewing cookie is of its own audience: sent as a customer's session cookie it signs nobody in.
        List<Cookie> cookies = page.context().cookies(portal.url("dashboard"));
        assertThat(cookies.stream().map(c -> c.name)).contains("tg_portal_view").doesNotContain("tg_portal");
        String viewing = cookies.stream().filter(c -> c.name.equals("tg_portal_view")).findFirst().orElseThrow().value;
        Page stranger = browser().secondPage();
        BrowserContext strangers = stranger.context();
        strangers.addCookies(List.of(new Cookie("tg_portal", viewing).setUrl(console.baseUrl() + "/portal/" + console.workspace() + "/")));
        stranger.navigate(portal.url("dashboard"));
        assertThat(stranger.url()).isEqualTo(portal.url("login"));
        strangers.close();

        assertThat(browser().server.app.audit.search(api.tenant, Audit.Query.all(), 20)).filteredOn(e -> e.action().equals("account.portal_viewed"))
                .singleElement().satisfies(e -> {
                    assertThat(e.actor().label()).isEqualTo(agent);
                    assertThat(e.objectId()).isEqualTo(customer.account());
                    assertThat(e.after()).contains("ada@northwind.example");
                });

        page.click(".mode-strip button:has-text('Stop viewing')");
        page.waitForURL(console.url("accounts/" + customer.account()));
        page.navigate(portal.url("dashboard"));
        assertThat(page.url()).isEqualTo(portal.url("login"));
        // The customer's own session was never touched.
        customerPage.navigate(portal.url("dashboard"));
        assertThat(customerPage.url()).isEqualTo(portal.url("dashboard"));
        customerPage.context().close();
    }

    @Test
    void supportChoosesHostingProFromTheListOnceAndTheRenewalCarriesTheProration() {
        Seller s = sellerWithADeclinedInvoice();
        String customer = s.api().newPayingAccount("Contoso", "usd", "UTC");
        String hosting = Fixtures.flatPlan(s.api(), "usd");
        String pro = plan(s, "{\"name\":\"Hosting Pro\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":4900}");
        String lite = plan(s, "{\"name\":\"Hosting Lite\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":1000}");
        String yearly = plan(s, "{\"name\":\"Hosting Yearly\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":25000,\"interval\":\"year\"}");
        // Not offered: another type, another currency (decision 052's rules).
        String seats = plan(s, "{\"name\":\"Agency\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":4900,"
                + "\"included_seats\":5,\"seat_amount\":800}");
        String euro = plan(s, "{\"name\":\"Hosting EU\",\"type\":\"flat\",\"currency\":\"eur\",\"amount\":2500}");
        ApiClient.Res sub = s.api().post("/v1/accounts/" + customer + "/subscriptions", "{\"plan\":\"" + hosting + "\"}");
        assertThat(sub.status()).as(sub.text()).isEqualTo(200);
        String act = "accounts/" + customer + "/subscriptions/" + sub.str("id") + "/act/plan";
        ApiClient.Res moved = s.api().post("/v1/test_clock/advance", "{\"to\":\"2030-01-17T00:00:00Z\"}");
        assertThat(moved.status()).as(moved.text()).isEqualTo(200);
        String agent = browser().addStaff(s.console(), StaffRole.SUPPORT, "Sam Support");
        Page page = browser().page();
        browser().signIn(page, s.console(), agent);
        page.navigate(s.console().url("accounts/" + customer));
        page.click("#subs-title + table a:has-text('Change plan')");
        assertThat(page.textContent("h1")).isEqualTo("Change the plan of Hosting");
        assertThat(page.textContent(".consequences")).contains("prorated to Feb 1, 2030").contains("the flat plans in USD");
        assertThat(page.textContent("label[for=f-plan]")).isEqualTo("New plan");
        assertThat(page.textContent("#f-plan-hint")).isEqualTo("Now Hosting, $25.00 a month");
        // Cheapest first, each saying when it takes effect; the current plan, the seats plan and the euro plan are not offered.
        assertThat(page.locator("#f-plan option").allTextContents()).containsExactly("Choose…",
                "Hosting Lite \u2014 $10.00 a month \u00b7 from Feb 1, 2030",
                "Hosting Pro \u2014 $49.00 a month \u00b7 at once",
                "Hosting Yearly \u2014 $250.00 a year \u00b7 from Feb 1, 2030");
        assertThat(page.locator("#f-plan option").evaluateAll("os => os.map(o => o.value)").toString())
                .doesNotContain(hosting).doesNotContain(seats).doesNotContain(euro);
        page.selectOption("#f-plan", new SelectOption().setLabel("Hosting Pro \u2014 $49.00 a month \u00b7 at once"));
        browser().assertAccessible(page);
        browser().screenshots(page, "console-change-plan");

        // Chosen and confirmed: the account's page says so. The same form sent again (a double click) replays the answer.
        String csrf = page.inputValue("input[name=_csrf]");
        String once = page.inputValue("input[name=_once]");
        page.click("button:has-text('Change plan')");
        page.waitForURL(s.console().url("accounts/" + customer));
        assertThat(page.textContent(".flash")).contains("The plan is now Hosting Pro.");
        assertThat(page.textContent("#subs-title + table")).contains("Hosting Pro").doesNotContain(pro);
        APIResponse again = post(page, s.console().url(act), FormData.create().set("_csrf", csrf).set("_once", once).set("plan", pro));
        assertThat(again.status()).isEqualTo(303);
        assertThat(browser().server.app.subscriptions.get(s.api().tenant, sub.str("id")).plan()).isEqualTo(pro);
        assertThat(audited(s, "subscription.plan_changed")).singleElement().satisfies(e -> {
            assertThat(e.actor().label()).isEqualTo(agent);
            assertThat(e.after()).contains("\"plan\":\"" + pro + "\"");
        });
        assertThat(s.api().get("/v1/events?limit=100&type=subscription.updated&account=" + customer).json().at("/data")).hasSize(1);

        // A forged plan id (unknown, or one the list leaves out) is answered with the form and the reason beside the list.
        page.click("#subs-title + table a:has-text('Change plan')");
        String formCsrf = page.inputValue("input[name=_csrf]");
        for (String[] forged : new String[][] {{"plan_forged", "No such plan"}, {euro, "is priced in eur"}, {seats, "is a seats plan"}}) {
            APIResponse r = post(page, s.console().url(act), FormData.create().set("_csrf", formCsrf).set("_once", "forged-" + forged[0])
                    .set("plan", forged[0]));
            assertThat(r.status()).as(forged[0]).isEqualTo(422);
            assertThat(r.text()).as(forged[0]).contains("id=\"f-plan-error\"").contains(forged[1]);
        }

        // A move to the yearly plan waits for Feb 1; the list then offers to stay on Hosting Pro, which withdraws it.
        page.selectOption("#f-plan", new SelectOption().setLabel("Hosting Yearly \u2014 $250.00 a year \u00b7 from Feb 1, 2030"));
        page.click("button:has-text('Change plan')");
        assertThat(page.textContent(".flash")).contains("The plan changes to Hosting Yearly on Feb 1, 2030.");
        // by the plan's name, as every plan on the account page (not its id)
        assertThat(page.textContent("#subs-title + table")).contains("moves to Hosting Yearly on Feb 1, 2030").doesNotContain(yearly);
        page.click("#subs-title + table a:has-text('Change plan')");
        assertThat(page.textContent("#f-plan-hint")).isEqualTo("Now Hosting Pro, $49.00 a month; moving to Hosting Yearly on Feb 1, 2030");
        assertThat(page.locator("#f-plan option").allTextContents()).contains(
                "Hosting Pro \u2014 stay on it, the move to Hosting Yearly withdrawn",
                "Hosting Yearly \u2014 $250.00 a year \u00b7 from Feb 1, 2030 (already chosen)");
        page.selectOption("#f-plan", new SelectOption().setLabel("Hosting Pro \u2014 stay on it, the move to Hosting Yearly withdrawn"));
        page.click("button:has-text('Change plan')");
        assertThat(page.textContent(".flash")).contains("The plan stays Hosting Pro.");
        assertThat(page.textContent("#subs-title + table")).doesNotContain("moves to");
        assertThat(audited(s, "subscription.plan_changed")).hasSize(3);

        // Jan 1 → Feb 1 is 31 days, Jan 17 → Feb 1 leaves 15: (4900 − 2500) × 15 / 31 = 1161.29 → 1161, beside Pro's 4900.
        s.api().post("/v1/test_clock/advance", "{\"to\":\"2030-02-01T00:00:00Z\"}");
        ApiClient.Res renewal = s.api().get("/v1/accounts/" + customer + "/invoices");
        assertThat(renewal.json().at("/data/0/total").asLong()).isEqualTo(6061);

        // A read_only member is refused, and nothing changes.
        page.context().clearCookies();
        String reader = browser().addStaff(s.console(), StaffRole.READ_ONLY, "Rita Reader");
        browser().signIn(page, s.console(), reader);
        page.navigate(s.console().url("accounts/" + customer));
        assertThat(page.locator("#subs-title + table a:has-text('Change plan')").count()).isZero();
        APIResponse r = post(page, s.console().url(act), FormData.create().set("_csrf", csrfOf(page)).set("_once", "forged-plan").set("plan", hosting));
        assertThat(r.status()).isEqualTo(403);
        assertThat(browser().server.app.subscriptions.get(s.api().tenant, sub.str("id")).plan()).isEqualTo(pro);
        assertThat(audited(s, "subscription.plan_changed")).hasSize(3);
    }

    @Test
    void duringATrialEveryPlanOfTheListTakesEffectAtOnce() {
        ApiClient api = Scenario.tenantAt(browser().server, START);
        Browser.Console console = browser().consoleOf(api);
        String customer = api.newPayingAccount("Contoso", "usd", "UTC");
        String trial = plan(api, "{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500,\"trial_days\":14}");
        plan(api, "{\"name\":\"Hosting Lite\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":1000}");
        ApiClient.Res sub = api.post("/v1/accounts/" + customer + "/subscriptions", "{\"plan\":\"" + trial + "\"}");
        assertThat(sub.json().at("/status").asText()).as(sub.text()).isEqualTo("trialing");
        Page page = browser().page();
        browser().signIn(page, console, console.ownerEmail());
        page.navigate(console.url("accounts/" + customer + "/subscriptions/" + sub.str("id") + "/act/plan"));
        assertThat(page.textContent(".consequences")).contains("During the trial nothing has been billed");
        assertThat(page.locator("#f-plan option").allTextContents()).containsExactly("Choose…", "Hosting Lite \u2014 $10.00 a month \u00b7 at once");
        page.selectOption("#f-plan", new SelectOption().setLabel("Hosting Lite \u2014 $10.00 a month \u00b7 at once"));
        page.click("button:has-text('Change plan')");
        assertThat(page.textContent(".flash")).contains("The plan is now Hosting Lite.");
        assertThat(api.get("/v1/subscriptions/" + sub.str("id")).json().at("/pending_plan").isNull()).isTrue();
    }

    private static String plan(ApiClient api, String json) {
        ApiClient.Res r = api.post("/v1/plans", json);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.str("id");
    }

    private static String plan(Seller s, String json) {
        return plan(s.api(), json);
    }

    @Test
    void aReadOnlyMemberCannotPauseGiveOrViewAndAnotherTenantsObjectsAreNotFound() {
        Seller s = sellerWithADeclinedInvoice();
        Seller other = sellerWithADeclinedInvoice();
        String plan = Fixtures.flatPlan(other.api(), "usd");
        String otherSub = other.api().post("/v1/accounts/" + other.account() + "/subscriptions", "{\"plan\":\"" + plan + "\"}").str("id");
        String reader = browser().addStaff(s.console(), StaffRole.READ_ONLY, "Rita Reader");
        Page page = browser().page();
        browser().signIn(page, s.console(), reader);
        page.navigate(s.console().url("accounts/" + s.account()));
        assertThat(page.locator(".page-actions a").allTextContents()).isEmpty();
        String csrf = csrfOf(page);
        for (String act : new String[] {"pause-dunning", "view-portal"}) {
            APIResponse r = post(page, s.console().url("accounts/" + s.account() + "/act/" + act),
                    FormData.create().set("_csrf", csrf).set("_once", "forged-" + act).set("resume_on", "2030-01-20"));
            assertThat(r.status()).as(act).isEqualTo(403);
        }
        assertThat(browser().server.app.dunning.pauseOf(s.api().tenant, s.account())).isEmpty();
        assertThat(browser().server.app.audit.search(s.api().tenant, Audit.Query.all(), 20)).noneMatch(e -> e.action().startsWith("account."));
        page.context().clearCookies();

        browser().signIn(page, s.console(), s.console().ownerEmail());
        csrf = csrfOf(page);
        for (String path : new String[] {"accounts/" + other.account() + "/act/pause-dunning", "accounts/" + other.account() + "/act/view-portal",
                "accounts/" + other.account() + "/subscriptions/" + otherSub + "/act/free",
                "accounts/" + s.account() + "/subscriptions/" + otherSub + "/act/free",
                "accounts/" + other.account() + "/subscriptions/" + otherSub + "/act/plan"}) {
            assertThat(page.request().get(s.console().url(path)).status()).as(path).isEqualTo(404);
            APIResponse r = post(page, s.console().url(path), FormData.create().set("_csrf", csrf).set("_once", "x-" + path.hashCode())
                    .set("resume_on", "2030-01-20").set("periods", "1").set("plan", plan));
            assertThat(r.status()).as(path).isEqualTo(404);
        }
        assertThat(browser().server.app.dunning.pauseOf(other.api().tenant, other.account())).isEmpty();
        assertThat(browser().server.app.subscriptions.get(other.api().tenant, otherSub).billing().freePeriods()).isZero();
        assertThat(browser().server.app.subscriptions.get(other.api().tenant, otherSub).plan()).isEqualTo(plan);
    }
}

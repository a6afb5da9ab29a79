package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tollgate.accounts.PortalUser;
import tollgate.accounts.PortalUserStore;
import tollgate.core.Ids;
import tollgate.testing.ApiClient;
import tollgate.testing.Browser;
import tollgate.web.Passwords;

/** The Billing page in Chromium (decision 036): status, seats, this period, the next invoice, seats, cancel, start. */
abstract class Billing {
    /** The browser, against the server of the database the subclass names. */
    abstract Browser browser();

    static final String PASSWORD = Browser.PASSWORD;

    static ApiClient.Res ok(ApiClient.Res r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r;
    }

    static String seatsPlan(ApiClient api) {
        return ok(api.post("/v1/plans", "{\"name\":\"Team\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":4900,"
                + "\"included_seats\":3,\"seat_amount\":1500,\"interval\":\"month\"}")).str("id");
    }

    @Test
    void aSeatsSubscriptionWithACouponThenMoreSeatsThenCancelAtPeriodEnd() {
        ApiClient api = browser().server.newTenantAt(Instant.parse("2027-03-10T09:00:00Z"));
        Browser.Portal portal = browser().portalOf(api);
        Page page = browser().page();
        String account = browser().signedUpCustomer(portal, "Northwind Studio", "ada@northwind.example").account();
        String plan = seatsPlan(api);
        String coupon = ok(api.post("/v1/coupons", "{\"name\":\"Launch\",\"percent_off\":20,\"duration\":\"forever\"}")).str("id");
        ok(api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"tok_visa\"}"));
        ok(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\",\"seats\":5,\"coupon\":\"" + coupon + "\"}"));

        page.navigate(portal.url("billing"));
        assertThat(page.textContent("#subscription-status").strip()).isEqualTo("Active");
        assertThat(page.textContent("#seats-included").strip()).isEqualTo("3");
        assertThat(page.textContent("#seats-in-use").strip()).isEqualTo("5");
        // Base 49.00 + 2 extra seats × 15.00 = 79.00, less 20 % (15.80): 63.20.
        String period = page.textContent("#period-total");
        assertThat(period).contains("USD 49.00").contains("USD 30.00").contains("−USD 15.80");
        assertThat(page.textContent("#period-total tfoot").strip()).contains("USD 63.20");
        assertThat(page.textContent("#next-invoice")).contains("April 10, 2027").contains("USD 63.20");
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-billing");

        // Ten days on, two more seats: 2 × 15.00 × 21 of 31 days = 20.32 (half-even), on the renewal of April 10.
        ok(api.post("/v1/test_clock/advance", "{\"to\":\"2027-03-20T09:00:00Z\"}"));
        page.navigate(portal.url("billing"));
        page.fill("#f-seats", "7");
        page.click("button:has-text('Review change')");
        assertThat(page.textContent("h1")).isEqualTo("Change seats?");
        assertThat(page.textContent(".confirm")).contains("From 5 to 7 seats, starting today").contains("prorated to today")
                .contains("invoiced on April 10, 2027, your subscription's next billing date").contains("USD 30.00 more");
        assertThat((Boolean) page.evaluate("() => document.activeElement.textContent.includes('Change to 7 seats')")).isTrue();
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-billing-seats-confirm");
        page.click("button:has-text('Change to 7 seats')");
        page.waitForURL(portal.url("billing"));
        assertThat(page.textContent(".flash")).contains("You now have 7 seats");
        assertThat(page.textContent("#seats-in-use").strip()).isEqualTo("7");
        // April 10: 49.00 + 4 extra seats 60.00 + the proration 20.32 = 129.32, less 20 % (25.86): 103.46.
        String next = page.textContent("#next-invoice");
        assertThat(next).contains("USD 20.32").contains("USD 60.00").contains("−USD 25.86");
        assertThat(page.textContent("#next-total").strip()).isEqualTo("USD 103.46");

        // Fewer seats wait for the next period, and the confirmation says so.
        page.fill("#f-seats", "4");
        page.click("button:has-text('Review change')");
        assertThat(page.textContent(".confirm")).contains("from your next period").contains("You keep 7 seats until April 10, 2027");
        page.click("a:has-text('Go back')");

        page.click("a:has-text('Cancel subscription')");
        assertThat(page.textContent(".confirm")).contains("ends on April 10, 2027").contains("will not be charged for it again");
        browser().screenshots(page, "portal-billing-cancel-confirm");
        page.click("button:has-text('Cancel at period end')");
        page.waitForURL(portal.url("billing"));
        assertThat(page.textContent("#subscription-notice")).contains("ends on April 10, 2027");
        // No renewal on April 10, but the proration owed for this period is still invoiced then: 20.32 less 20 % (4.06).
        assertThat(page.textContent("#next-invoice")).doesNotContain("USD 60.00");
        assertThat(page.textContent("#next-total").strip()).isEqualTo("USD 16.26");
        // Resuming undoes it: the renewal is back.
        page.click("button:has-text('Resume subscription')");
        page.waitForURL(portal.url("billing"));
        assertThat(page.isVisible("#subscription-notice")).isFalse();
        assertThat(page.textContent("#next-total").strip()).isEqualTo("USD 103.46");
    }

    /**
     * A seat increase's proration is invoiced on the subscription's next billing date (April 10), which comes after the
     * account's license invoice of April 1: the confirmation names April 10, and the Billing page lists the amount with
     * that date until it is invoiced. 2 extra seats × 15.00 × 21 of 31 days = 20.32 (half-even).
     */
    @Test
    void aProrationIsListedWithTheDateItIsInvoicedEvenAfterAnEarlierInvoice() {
        ApiClient api = browser().server.newTenantAt(Instant.parse("2027-03-10T09:00:00Z"));
        Browser.Portal portal = browser().portalOf(api);
        Page page = browser().page();
        String account = browser().signedUpCustomer(portal, "Proration Ltd", "ada@proration.example").account();
        ok(api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"tok_visa\"}"));
        ok(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + seatsPlan(api) + "\",\"seats\":5}"));
        tollgate.testing.Fixtures.issueOne(api, account, tollgate.testing.Fixtures.licensePlan(api, "usd", 900));
        ok(api.post("/v1/test_clock/advance", "{\"to\":\"2027-03-20T09:00:00Z\"}"));

        page.navigate(portal.url("billing/seats?seats=7"));
        assertThat(page.textContent(".confirm")).contains("That amount is invoiced on April 10, 2027, your subscription's next "
                + "billing date; until then the Billing page lists it under Charges to come.").doesNotContain("next invoice");
        page.click("button:has-text('Change to 7 seats')");
        page.waitForURL(portal.url("billing"));
        // The account's next invoice is the licenses' of April 1, without the proration; the proration waits with its date.
        assertThat(page.textContent("#next-title")).contains("April 1, 2027");
        assertThat(page.textContent("#next-invoice")).doesNotContain("USD 20.32");
        assertThat(page.textContent("#charges-to-come")).contains("2 extra seats").contains("Invoiced on April 10, 2027")
                .contains("USD 20.32");
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-billing-charges-to-come");

        // April 1's invoice leaves it owed; April 10's renewal invoices it, and the list is gone.
        ok(api.post("/v1/test_clock/advance", "{\"to\":\"2027-04-02T09:00:00Z\"}"));
        page.navigate(portal.url("billing"));
        assertThat(page.textContent("#charges-to-come")).contains("Invoiced on April 10, 2027").contains("USD 20.32");
        ok(api.post("/v1/test_clock/advance", "{\"to\":\"2027-04-10T10:00:00Z\"}"));
        page.navigate(portal.url("billing"));
        assertThat(page.locator("#charges-to-come").count()).isZero();
        var invoices = api.get("/v1/accounts/" + account + "/invoices").json().get("data");
        String renewal = api.get("/v1/invoices/" + invoices.get(0).get("id").asText()).json().get("lines").toString();
        assertThat(renewal).contains("\"kind\":\"proration\"").contains("2 extra seats").contains("2032");
    }

    @Test
    void seatsFromPortalUsersAddASeatWhenAnInvitationIsAccepted() {
        // Berlin: the period March 10 – April 10, 2027 has 31 days; from March 20, 21 are left.
        ApiClient api = browser().server.newTenantAt(Instant.parse("2027-03-10T09:00:00Z"));
        Browser.Portal portal = browser().portalOf(api);
        Page page = browser().page();
        Browser.Customer owner = browser().signedUpCustomer(portal, "Team Seats GmbH", "owner@teamseats.example");
        var app = browser().server.app;
        app.portalUsers.markVerified(portal.tenant(), app.portalUsers.byEmail(portal.tenant(), owner.email()).orElseThrow().id());
        String plan = ok(api.post("/v1/plans", "{\"name\":\"Team\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":4900,"
                + "\"included_seats\":1,\"seat_amount\":1500,\"seats_from\":\"portal_users\"}")).str("id");
        ok(api.post("/v1/accounts/" + owner.account() + "/payment_methods", "{\"token\":\"tok_visa\"}"));
        ok(api.post("/v1/accounts/" + owner.account() + "/subscriptions", "{\"plan\":\"" + plan + "\"}"));

        page.navigate(portal.url("billing"));
        assertThat(page.textContent("#seats-in-use").strip()).isEqualTo("1");
        assertThat(page.textContent("#seats-from-users")).contains("Your seats follow your active users");
        assertThat(page.locator("#f-seats").count()).isZero();
        assertThat(page.textContent("#next-total").strip()).isEqualTo("USD 49.00");
        browser().assertAccessible(page);

        ok(api.post("/v1/test_clock/advance", "{\"to\":\"2027-03-20T09:00:00Z\"}"));
        page.navigate(portal.url("users/invite"));
        page.fill("#f-email", "max@teamseats.example");
        page.selectOption("#f-role", "member");
        page.click("button:has-text('Send invitation')");
        page.waitForURL(portal.url("users"));
        Page max = browser().secondPage();
        max.navigate(portal.baseUrl() + PortalMail.linkPath(PortalMail.latest(app, portal.tenant(), "portal_invitation", "max@teamseats.example")));
        max.fill("#f-name", "Max Member");
        max.fill("#f-password", "violet tugboat marmalade");
        max.click("button:has-text('Join and log in')");
        max.waitForURL(portal.url("dashboard"));
        max.context().close();

        // One more seat at once: 15.00 × 21 / 31 = 10.16 (10.161…), on the April 10 invoice with the renewal of 2 seats.
        page.navigate(portal.url("billing"));
        assertThat(page.textContent("#seats-in-use").strip()).isEqualTo("2");
        assertThat(page.textContent("#next-invoice")).contains("April 10, 2027").contains("USD 10.16").contains("USD 15.00");
        assertThat(page.textContent("#next-total").strip()).isEqualTo("USD 74.16");
        browser().screenshots(page, "portal-billing-seats-from-users");
    }

    @Test
    void withoutASubscriptionThePageOffersToStartOneAndAsksForACardFirst() {
        ApiClient api = browser().server.newTenantAt(Instant.parse("2027-03-10T09:00:00Z"));
        Browser.Portal portal = browser().portalOf(api);
        Page page = browser().page();
        String account = browser().signedUpCustomer(portal, "Contoso", "grace@contoso.example").account();
        seatsPlan(api);
        ok(api.post("/v1/plans", "{\"name\":\"Starter\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":1900,\"interval\":\"month\"}"));

        page.navigate(portal.url("billing"));
        assertThat(page.textContent("#start-title")).isEqualTo("Start a subscription");
        assertThat(page.textContent(".plan-choices")).contains("Team").contains("USD 49.00 a month, 3 seats included, then USD 15.00 a seat")
                .contains("Starter");
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-billing-start");

        page.click("button:has-text('Start subscription')");
        assertThat(page.textContent("#f-plan-error")).contains("Choose a plan");
        page.click(".plan-choice:has-text('Team') input");
        page.fill("#f-seats", "0");
        page.click("button:has-text('Start subscription')");
        assertThat(page.textContent("#f-seats-error")).contains("whole number of seats from 1");
        assertThat(page.inputValue("#f-seats")).isEqualTo("0");

        page.click(".plan-choice:has-text('Team') input");
        page.fill("#f-seats", "4");
        Response refused = page.waitForNavigation(() -> page.click("button:has-text('Start subscription')"));
        assertThat(refused.status()).isEqualTo(402);
        assertThat(page.textContent("#card-needed")).contains("Add a card first");
        assertThat(page.getAttribute("#card-needed a", "href")).isEqualTo("/portal/" + portal.slug() + "/payment-methods?return=billing");
        assertThat(page.inputValue("#f-seats")).isEqualTo("4");

        ok(api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"tok_visa\"}"));
        page.click("button:has-text('Start subscription')");
        page.waitForURL(portal.url("billing"));
        assertThat(page.textContent(".flash")).contains("Your Team subscription has started");
        assertThat(page.textContent("#subscription-status").strip()).isEqualTo("Active");
        // 49.00 + 1 extra seat 15.00.
        assertThat(page.textContent("#period-total tfoot")).contains("USD 64.00");
        // A second submit of the same form (back, send again) starts nothing more.
        ApiClient.Res subs = api.get("/v1/accounts/" + account + "/subscriptions");
        assertThat(subs.json().get("data")).hasSize(1);
    }

    @Test
    void licensesShowTheirCostPerSiteThisMonthSoFar() {
        ApiClient api = browser().server.newTenantAt(Instant.parse("2027-03-05T10:00:00Z"));
        Browser.Portal portal = browser().portalOf(api);
        Page page = browser().page();
        String account = browser().signedUpCustomer(portal, "Fabrikam Sites", "lin@fabrikam.example").account();
        ok(api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"tok_visa\"}"));
        // 31.00 a month: 1.00 a day in March.
        String plan = ok(api.post("/v1/plans", "{\"name\":\"Site license\",\"type\":\"license\",\"currency\":\"usd\",\"amount\":3100}")).str("id");
        String first = ok(api.post("/v1/accounts/" + account + "/licenses", "{\"plan\":\"" + plan + "\"}")).json().get("data").get(0).get("id").asText();
        String second = ok(api.post("/v1/accounts/" + account + "/licenses", "{\"plan\":\"" + plan + "\"}")).json().get("data").get(0).get("id").asText();
        ok(api.post("/v1/licenses/" + first + "/assign", "{\"site_url\":\"https://shop.fabrikam.example\"}"));
        ok(api.post("/v1/test_clock/advance", "{\"to\":\"2027-03-08T11:00:00Z\"}"));
        ok(api.post("/v1/licenses/" + second + "/revoke", "{}"));
        ok(api.post("/v1/test_clock/advance", "{\"to\":\"2027-03-20T09:00:00Z\"}"));

        page.navigate(portal.url("billing"));
        String sites = page.textContent("#licenses-month");
        // March 5–20 in Berlin: 16 days, 16.00; the revoked one March 5–8: 4 days, 4.00.
        assertThat(sites).contains("2 licenses active in March 2027 so far").contains("shop.fabrikam.example").contains("16 days")
                .contains("USD 16.00").contains("Not assigned").contains("4 days").contains("USD 4.00");
        assertThat(page.textContent("#licenses-total").strip()).isEqualTo("USD 20.00");
        // The next invoice, April 1 in Berlin: the live license's March 5–31 (27 days, 27.00), the revoked one's 4.00.
        assertThat(page.textContent("#next-invoice")).contains("April 1, 2027").contains("2 licenses");
        assertThat(page.textContent("#next-total").strip()).isEqualTo("USD 31.00");
        browser().assertAccessible(page);
    }

    @Test
    void aMemberGetsNeitherTheMenuEntriesNorThePages() {
        ApiClient api = browser().server.newTenantAt(Instant.parse("2027-03-10T09:00:00Z"));
        Browser.Portal portal = browser().portalOf(api);
        Page page = browser().page();
        String account = browser().signedUpCustomer(portal, "Litware", "owner@litware.example").account();
        assertThat(page.isVisible("nav a:has-text('Billing')")).isTrue();
        browser().server.app.db.tx(tx -> {
            new PortalUserStore().insert(tx, portal.tenant().id(), new PortalUser(Ids.next("pusr"), account, "member@litware.example",
                    "Max Member", PortalUser.Role.MEMBER, Passwords.hash(PASSWORD), true, true, Instant.parse("2027-03-10T09:00:00Z")));
            return null;
        });
        Page member = browser().secondPage();
        member.navigate(portal.url("login"));
        member.fill("#f-email", "member@litware.example");
        member.fill("#f-password", PASSWORD);
        member.click("button:has-text('Log in')");
        member.waitForURL(portal.url("dashboard"));
        assertThat(member.isVisible("nav a:has-text('Billing')")).isFalse();
        assertThat(member.isVisible("nav a:has-text('Company details')")).isFalse();
        for (String p : new String[] {"billing", "company", "billing/cancel", "billing/seats?seats=9"}) {
            Response r = member.navigate(portal.url(p));
            assertThat(r.status()).as(p).isEqualTo(403);
            assertThat(member.textContent("h1")).isEqualTo("Not allowed");
        }
        browser().assertAccessible(member);
        browser().screenshots(member, "portal-forbidden");
        member.context().close();
    }
}

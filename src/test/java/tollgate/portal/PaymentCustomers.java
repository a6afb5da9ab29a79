package tollgate.portal;

import com.microsoft.playwright.Page;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import tollgate.accounts.PortalUser;
import tollgate.accounts.PortalUserStore;
import tollgate.core.Ids;
import tollgate.testing.ApiClient;
import tollgate.testing.Browser;
import tollgate.testing.Scenario;
import tollgate.web.Passwords;

/** Portal customers for the payment pages' browser tests: a tenant with its API and clock, and a signed-in owner. */
final class PaymentCustomers {
    static final String PASSWORD = "correct horse battery staple";
    private static final AtomicInteger SLUGS = new AtomicInteger();
    private static final String RUN = Long.toString(System.nanoTime() % 1_000_000, 36);

    private PaymentCustomers() {}

    /** A test tenant at {@code start} (its API for plans, licenses and the clock) with a portal. */
    record Seller(Browser.Portal portal, ApiClient api) {}

    static Seller seller(Browser browser, Instant start) {
        ApiClient api = Scenario.tenantAt(browser.server, start);
        String slug = "pay-" + RUN + "-" + SLUGS.incrementAndGet();
        browser.server.app.tenants.setSlug(api.tenant.id(), slug);
        return new Seller(new Browser.Portal(api.tenant, slug, browser.server.baseUrl), api);
    }

    /** Signs up through the portal (an owner in Europe/Berlin) and answers the new account's id; the page is signed in. */
    static String signUp(Browser browser, Page page, Browser.Portal portal, String company, String email) {
        page.navigate(portal.url("signup"));
        page.fill("#f-company", company);
        page.fill("#f-address_line1", "Friedrichstraße 12");
        page.fill("#f-city", "Berlin");
        page.fill("#f-postal_code", "10117");
        page.selectOption("#f-country", "DE");
        page.selectOption("#f-timezone", "Europe/Berlin");
        page.fill("#f-contact_name", "Ada Lovelace");
        page.fill("#f-email", email);
        page.fill("#f-password", PASSWORD);
        page.click("button:has-text('Create account')", new Page.ClickOptions().setTimeout(30_000));
        page.waitForURL(portal.url("dashboard"), new Page.WaitForURLOptions().setTimeout(30_000));
        return browser.server.app.portalUsers.byEmail(portal.tenant(), email).orElseThrow().accountId();
    }

    /** A member (no manage_users) of the account, added as portal-users' invitations would. */
    static void addMember(Browser browser, Browser.Portal portal, String accountId, String email) {
        String hash = Passwords.hash(PASSWORD);
        browser.server.app.db.tx(tx -> {
            new PortalUserStore().insert(tx, portal.tenant().id(), new PortalUser(Ids.next("pusr"), accountId, email, "Mel Member",
                    PortalUser.Role.MEMBER, hash, true, true, Instant.parse("2030-01-01T00:00:00Z")));
            return null;
        });
    }

    static void logIn(Page page, Browser.Portal portal, String email) {
        page.navigate(portal.url("login"));
        page.fill("#f-email", email);
        page.fill("#f-password", PASSWORD);
        page.click("button:has-text('Log in')", new Page.ClickOptions().setTimeout(30_000));
        page.waitForURL(portal.url("dashboard"), new Page.WaitForURLOptions().setTimeout(30_000));
    }
}

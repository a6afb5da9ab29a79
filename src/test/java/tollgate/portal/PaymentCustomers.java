package tollgate.portal;

import com.microsoft.playwright.Page;
import java.time.Instant;
import tollgate.accounts.PortalUser;
import tollgate.accounts.PortalUserStore;
import tollgate.core.Ids;
import tollgate.testing.ApiClient;
import tollgate.testing.Browser;
import tollgate.testing.Scenario;
import tollgate.web.Passwords;

/** Portal customers for the payment pages' browser tests: a tenant with its API and clock, and a signed-in owner. */
final class PaymentCustomers {
    static final String PASSWORD = Browser.PASSWORD;

    private PaymentCustomers() {}

    /** A test tenant at {@code start} (its API for plans, licenses and the clock) with a portal. */
    record Seller(Browser.Portal portal, ApiClient api) {}

    static Seller seller(Browser browser, Instant start) {
        ApiClient api = Scenario.tenantAt(browser.server, start);
        return new Seller(browser.portalOf(api), api);
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
        Browser.logIn(page, portal, email, PASSWORD);
        page.waitForURL(portal.url("dashboard"), new Page.WaitForURLOptions().setTimeout(30_000));
    }
}

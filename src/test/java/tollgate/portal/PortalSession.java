package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.Route;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tollgate.testing.ApiClient;
import tollgate.testing.Browser;

/**
 * A portal session opened by the seller's own app (decision 037), in Chromium: the one-time URL signs the account's
 * owner in, the menu leads back to the seller's return_url, the URL works once and for 5 minutes of the tenant's clock,
 * and log-out forgets the way back (decision 039).
 */
abstract class PortalSession {
    /** The browser, against the server of the database the subclass names. */
    abstract Browser browser();

    static final String RETURN_URL = "https://app.seller.example/settings?tab=billing";

    private static String returnCookie(Page page) {
        return page.context().cookies().stream().filter(c -> c.name.equals("tg_return")).map(c -> c.value).findFirst().orElse(null);
    }

    @Test
    void theSellersAppSendsItsCustomerInOnceAndTheReturnLinkGoesBack() {
        ApiClient api = tollgate.testing.Scenario.tenantAt(browser().server, Instant.parse("2030-03-01T09:00:00Z"));
        Browser.Portal portal = browser().portalOf(api);
        Page page = browser().page();
        // The seller's app, as the browser would reach it (no network here): any page of it answers.
        page.context().route("https://app.seller.example/**", (Route route) -> route.fulfill(new Route.FulfillOptions()
                .setStatus(200).setContentType("text/html").setBody("<!doctype html><title>Seller app</title><h1>Seller settings</h1>")));
        Browser.Customer customer = browser().signedUpCustomer(portal, "Seller's Customer Ltd", "grace@customer.example");
        page.click("button:has-text('Log out')");
        page.waitForURL(portal.url("login"));

        ApiClient.Res session = api.post("/v1/portal_sessions", "{\"account\":\"" + customer.account()
                + "\",\"return_url\":\"" + RETURN_URL + "\"}");
        assertThat(session.status()).as(session.text()).isEqualTo(200);
        // The URL names the server's public address; the test server's port is its own.
        String url = portal.baseUrl() + java.net.URI.create(session.str("url")).getRawPath();
        page.navigate(url);
        assertThat(page.url()).isEqualTo(portal.url("dashboard"));
        assertThat(page.textContent("h1")).isEqualTo("Seller's Customer Ltd");
        assertThat(page.textContent(".account-name")).isEqualTo("Seller's Customer Ltd");
        // Signed in as the owner: the managers' pages open.
        assertThat(page.navigate(portal.url("billing")).status()).isEqualTo(200);
        assertThat(returnCookie(page)).isNotNull();
        browser().assertAccessible(page);

        page.click("a:has-text('Return to " + portal.tenant().name() + "')");
        page.waitForURL(RETURN_URL);
        assertThat(page.textContent("h1")).isEqualTo("Seller settings");

        // The same URL again: refused with a page that says what to do, in the browser that used it too.
        Response again = page.navigate(url);
        assertThat(again.status()).isEqualTo(410);
        assertThat(page.textContent("h1")).isEqualTo("This link no longer works");
        assertThat(page.textContent("main")).contains("works once, for 5 minutes").contains("Go back to the app you came from");
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-link-gone");

        // Log-out forgets the way back: the cookie is gone and the log-in page offers no return link.
        page.navigate(portal.url("dashboard"));
        page.click("button:has-text('Log out')");
        page.waitForURL(portal.url("login"));
        assertThat(returnCookie(page)).isNull();
        assertThat(page.locator("a:has-text('Return to')").count()).isZero();

        // A new URL opened 5 minutes later by the tenant's clock: refused, nobody signed in.
        ApiClient.Res late = api.post("/v1/portal_sessions", "{\"account\":\"" + customer.account() + "\",\"return_url\":\"" + RETURN_URL + "\"}");
        assertThat(late.status()).isEqualTo(200);
        assertThat(api.post("/v1/test_clock/advance", "{\"to\":\"2030-03-01T09:05:00Z\"}").status()).isEqualTo(200);
        Page other = browser().secondPage();
        assertThat(other.navigate(portal.baseUrl() + java.net.URI.create(late.str("url")).getRawPath()).status()).isEqualTo(410);
        assertThat(other.textContent("h1")).isEqualTo("This link no longer works");
        other.navigate(portal.url("dashboard"));
        assertThat(other.url()).isEqualTo(portal.url("login"));
        assertThat(returnCookie(other)).isNull();
        other.context().close();
    }
}

package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tollgate.testing.ApiClient;
import tollgate.testing.Browser;
import tollgate.testing.Fixtures;

/**
 * Issue 13's "CSP without inline scripts, frame-ancestors 'none', Referrer-Policy" on every portal page, not a sample:
 * a customer with a card, licenses (one a bundle), a subscription, a paid invoice and a second user, whose every page
 * is found by following the links of the pages themselves, plus the pages no link reaches (the anonymous forms, a
 * reset link, an invitation, the 403, 404 and 410 pages, the new keys after issuing, a seats change to confirm).
 * Each is fetched for its headers and markup, and opened in Chromium, which must report no CSP violation. Run on H2
 * ({@link EveryPortalPageBrowserTest}) and on PostgreSQL ({@link EveryPortalPageOnPostgresBrowserTest}): every page's
 * reads on both databases.
 */
abstract class EveryPortalPage {
    static final Instant START = Instant.parse("2029-12-10T09:00:00Z");
    /** Script or style that only an 'unsafe-inline' (or 'unsafe-eval') policy would run. */
    private static final Map<String, Pattern> INLINE = Map.of(
            "a script element without src", Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>", Pattern.CASE_INSENSITIVE),
            "an event handler attribute", Pattern.compile("<[^>]+\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE),
            "an htmx hx-on attribute", Pattern.compile("<[^>]+\\shx-on", Pattern.CASE_INSENSITIVE),
            "a javascript: URL", Pattern.compile("(href|src|action)\\s*=\\s*\"\\s*javascript:", Pattern.CASE_INSENSITIVE),
            "a style attribute", Pattern.compile("<[^>]+\\sstyle\\s*=", Pattern.CASE_INSENSITIVE),
            "a style element", Pattern.compile("<style[\\s>]", Pattern.CASE_INSENSITIVE));

    /** The browser, and the server it drives, of the concrete test class. */
    abstract Browser browser();

    private final List<String> violations = new ArrayList<>();
    private final Set<String> checked = new LinkedHashSet<>();

    /** The headers, the markup, and Chromium's own verdict on one page (in {@code page}'s browser, with its cookies). */
    private void check(Page page, String url, int status) {
        APIResponse r = page.request().get(url, com.microsoft.playwright.options.RequestOptions.create().setMaxRedirects(0));
        assertThat(r.status()).as(url).isEqualTo(status);
        Map<String, String> h = r.headers();
        assertThat(h.get("content-security-policy")).as(url)
                .contains("default-src 'self'").contains("script-src 'self'").contains("style-src 'self'")
                .contains("frame-ancestors 'none'").contains("base-uri 'none'").contains("object-src 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(h.get("referrer-policy")).as(url).isEqualTo("same-origin");
        assertThat(h.get("x-frame-options")).as(url).isEqualTo("DENY");
        assertThat(h.get("x-content-type-options")).as(url).isEqualTo("nosniff");
        assertThat(h.get("cache-control")).as(url).contains("no-store");
        if (h.getOrDefault("content-type", "").startsWith("text/html")) {
            String html = r.text();
            INLINE.forEach((what, p) -> assertThat(p.matcher(html).find()).as(what + " on " + url).isFalse());
            page.navigate(url);
            assertThat(page.locator("h1").count()).as("a page, not a blank: " + url).isPositive();
        }
        checked.add(url.replaceFirst("\\?.*", "") + " " + status);
    }

    /** Every portal page reachable by a link from {@code start}, checked once each (no log-out: that is a POST). */
    private void crawl(Page page, Browser.Portal portal, String start) {
        String prefix = portal.url("");
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty() && seen.size() < 120) {
            String url = todo.poll();
            if (!seen.add(url)) continue;
            if (url.endsWith("/pdf")) {
                check(page, url, 200);
                continue;
            }
            check(page, url, 200);
            @SuppressWarnings("unchecked")
            List<String> links = (List<String>) page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href.split('#')[0])");
            for (String l : links) if (l.startsWith(prefix) && !seen.contains(l)) todo.add(l);
        }
        assertThat(todo).as("more pages than the crawl allows").isEmpty();
    }

    @Test
    void everyPortalPageCarriesTheSecurityHeadersAndRunsNoInlineScript() {
        PaymentCustomers.Seller seller = PaymentCustomers.seller(browser(), START);
        ApiClient api = seller.api();
        Browser.Portal portal = seller.portal();
        Page page = browser().page();
        page.onConsoleMessage(m -> {
            if (m.text().contains("Content Security Policy")) violations.add(page.url() + ": " + m.text());
        });
        page.onPageError(e -> violations.add(page.url() + ": " + e));

        for (String p : List.of("login", "signup", "forgot")) check(page, portal.url(p), 200);
        check(page, portal.url("no-such-page"), 404);
        check(page, portal.url("session/not-a-link"), 410);
        check(page, portal.url("reset/not-a-link"), 410);

        String account = browser().signedUpCustomer(page, portal, "Every Page Ltd", "owner@every.example").account();
        page.navigate(portal.baseUrl() + PortalMail.linkPath(PortalMail.latest(browser().server.app, portal.tenant(),
                "email_verification", "owner@every.example")));
        String licensePlan = Fixtures.licensePlan(api, "usd", 900);
        Fixtures.attachCard(api, account, "tok_visa");
        Fixtures.attachCard(api, account, "tok_mastercard");
        Fixtures.issueOne(api, account, licensePlan);
        assertThat(Fixtures.issue(api, account, licensePlan, 3).status()).isEqualTo(200);
        String seats = Billing.seatsPlan(api);
        assertThat(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + seats + "\",\"seats\":4}").status()).isEqualTo(200);
        assertThat(api.post("/v1/test_clock/advance", "{\"to\":\"2030-01-01T00:00:00Z\"}").status()).isEqualTo(200);
        PaymentCustomers.addMember(browser(), portal, account, "mel@every.example");

        // The new keys after issuing, and an assigned license (its Unassign and Revoke confirmations).
        page.navigate(portal.url("licenses/issue"));
        page.selectOption("#f-plan", licensePlan);
        page.fill("#f-quantity", "1");
        page.click("button:has-text('Issue licenses')");
        page.waitForURL("**/licenses/new/*");
        check(page, page.url(), 200);
        page.locator("a:has-text('Assign now')").first().click();
        page.waitForSelector("#confirm-dialog[open]");
        page.keyboard().type("shop.every.example");
        page.keyboard().press("Enter");
        page.waitForURL(portal.url("licenses"));
        // An invitation waiting (its page is the invitee's).
        page.navigate(portal.url("users/invite"));
        page.fill("#f-email", "ivy@every.example");
        page.selectOption("#f-role", "member");
        page.click("button:has-text('Send invitation')");
        page.waitForURL(portal.url("users"));

        crawl(page, portal, portal.url("dashboard"));
        check(page, portal.url("billing/seats?seats=6"), 200);
        check(page, portal.url("licenses?tab=all&q=every"), 200);
        check(page, portal.url("invoices/inv_not_mine"), 404);

        Page other = browser().secondPage();
        other.onConsoleMessage(m -> {
            if (m.text().contains("Content Security Policy")) violations.add(other.url() + ": " + m.text());
        });
        check(other, portal.baseUrl() + PortalMail.linkPath(PortalMail.latest(browser().server.app, portal.tenant(),
                "portal_invitation", "ivy@every.example")), 200);
        other.navigate(portal.url("forgot"));
        other.fill("#f-email", "owner@every.example");
        other.click("button:has-text('Send the link')");
        check(other, portal.baseUrl() + PortalMail.linkPath(PortalMail.latest(browser().server.app, portal.tenant(),
                "password_reset", "owner@every.example")), 200);
        PaymentCustomers.logIn(other, portal, "mel@every.example");
        check(other, portal.url("billing"), 403);

        assertThat(violations).as("what Chromium refused under the CSP").isEmpty();
        // The crawl reached every kind of page the portal has.
        assertThat(String.join("\n", checked)).contains("/dashboard 200", "/licenses 200", "/licenses/issue 200",
                "/licenses/new/", "/assign 200", "/unassign 200", "/revoke 200", "/billing 200", "/billing/seats 200", "/billing/cancel 200",
                "/payment-methods 200", "/payment-methods/new 200", "/delete 200", "/invoices 200", "/pdf 200",
                "/company 200", "/users 200", "/users/invite 200", "/deactivate 200", "/invitations/", "/reset/",
                "/login 200", "/signup 200", "/forgot 200", "/billing 403", "/no-such-page 404", "/session/not-a-link 410");
    }
}

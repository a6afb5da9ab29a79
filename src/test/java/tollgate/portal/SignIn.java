package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tollgate.testing.Browser;

/** The portal's way in and out, clicked through in Chromium: sign up, log in, log out, and what must be refused. */
abstract class SignIn {
    /** The browser, against the server of the database the subclass names. */
    abstract Browser browser();

    static final String PASSWORD = Browser.PASSWORD;

    private static String sessionCookie(Page page) {
        return page.context().cookies().stream().filter(c -> c.name.equals("tg_portal")).map(c -> c.value).findFirst().orElse(null);
    }

    @Test
    void signUpLandsOnTheDashboardThenLogOutAndLogInAgain() {
        Browser.Portal portal = browser().newPortal();
        Page page = browser().page();
        page.navigate(portal.url("signup"));
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-signup");

        browser().signedUpCustomer(portal, "Northwind Studio", "ada@northwind.example");
        assertThat(page.textContent("h1")).isEqualTo("Northwind Studio");
        assertThat(page.textContent(".account-name")).isEqualTo("Northwind Studio");
        assertThat(page.textContent(".flash")).contains("your account is ready");
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-dashboard");

        page.click("button:has-text('Log out')");
        page.waitForURL(portal.url("login"));
        assertThat(page.textContent(".flash")).isEqualTo("You have logged out.");
        page.navigate(portal.url("dashboard"));
        assertThat(page.url()).isEqualTo(portal.url("login"));
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-login");

        Browser.logIn(page, portal, "ADA@northwind.example", PASSWORD);
        page.waitForURL(portal.url("dashboard"));
        assertThat(page.textContent("h1")).isEqualTo("Northwind Studio");
    }

    @Test
    void aWrongPasswordAndAnUnknownEmailGetTheSameAnswer() {
        Browser.Portal portal = browser().newPortal();
        Page page = browser().page();
        browser().signedUpCustomer(portal, "Same Answer Ltd", "owner@same.example");
        page.click("button:has-text('Log out')");

        Browser.logIn(page, portal, "owner@same.example", "not the right password");
        String wrong = page.textContent("#login-error");
        String wrongPage = page.innerHTML("main");
        Browser.logIn(page, portal, "nobody@same.example", "not the right password");
        String unknown = page.textContent("#login-error");

        assertThat(wrong).isEqualTo(unknown).isEqualTo("The email or password is incorrect.");
        assertThat(page.innerHTML("main").replace("nobody@", "owner@")).isEqualTo(wrongPage);
        assertThat(page.inputValue("#f-email")).isEqualTo("nobody@same.example");
        assertThat(page.inputValue("#f-password")).isEmpty();
    }

    @Test
    void fiveFailuresForOneUserRefuseEvenTheRightPasswordForAWhile() {
        Browser.Portal portal = browser().newPortal();
        Page page = browser().page();
        browser().signedUpCustomer(portal, "Throttled Inc", "owner@throttled.example");
        page.click("button:has-text('Log out')");
        for (int i = 0; i < 5; i++) {
            Browser.logIn(page, portal, "owner@throttled.example", "guess number " + i + " is wrong");
            assertThat(page.textContent("#login-error")).isEqualTo("The email or password is incorrect.");
        }
        Browser.logIn(page, portal, "owner@throttled.example", PASSWORD);
        assertThat(page.textContent("#login-error")).startsWith("Too many failed attempts. Try again in 15 minutes");
        assertThat(page.url()).isEqualTo(portal.url("login"));
        // The same for an address nobody has: throttling tells no one which addresses exist.
        for (int i = 0; i < 5; i++) Browser.logIn(page, portal, "ghost@throttled.example", "guess number " + i + " is wrong");
        Browser.logIn(page, portal, "ghost@throttled.example", PASSWORD);
        assertThat(page.textContent("#login-error")).startsWith("Too many failed attempts.");
    }

    @Test
    void loggingInIssuesANewSessionIdSoAPlantedOneIsWorthless() {
        Browser.Portal portal = browser().newPortal();
        Page page = browser().page();
        browser().signedUpCustomer(portal, "Fixation GmbH", "owner@fixation.example");
        String atSignUp = sessionCookie(page);
        page.click("button:has-text('Log out')");
        page.waitForURL(portal.url("login"));
        assertThat(sessionCookie(page)).isNull();

        // An attacker plants a session id of their choosing before the victim logs in.
        page.context().addCookies(java.util.List.of(new Cookie("tg_portal", "planted-by-an-attacker")
                .setDomain("127.0.0.1").setPath("/portal/" + portal.slug() + "/")));
        Browser.logIn(page, portal, "owner@fixation.example", PASSWORD);
        page.waitForURL(portal.url("dashboard"));
        String atLogIn = sessionCookie(page);
        assertThat(atLogIn).isNotNull().isNotEqualTo("planted-by-an-attacker").isNotEqualTo(atSignUp).hasSize(43);

        Cookie cookie = page.context().cookies().stream().filter(c -> c.name.equals("tg_portal")).findFirst().orElseThrow();
        assertThat(cookie.httpOnly).isTrue();
        assertThat(cookie.sameSite).hasToString("LAX");
        assertThat(cookie.expires).isEqualTo(-1.0); // a browser-session cookie: the server's timeouts end it
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefusedAndChangesNothing() {
        Browser.Portal portal = browser().newPortal();
        Page page = browser().page();
        browser().signedUpCustomer(portal, "Forged Requests Co", "owner@forged.example");

        // Forged from the same browser (its cookies go along, as a cross-site form would send them): no token.
        APIResponse forged = page.request().post(portal.url("logout-everywhere"),
                RequestOptions.create().setForm(FormData.create().set("anything", "1")).setMaxRedirects(0));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.text()).contains("This form has expired");
        assertThat(forged.headers().get("content-security-policy")).contains("frame-ancestors 'none'");
        APIResponse wrongToken = page.request().post(portal.url("logout"), RequestOptions.create()
                .setForm(FormData.create().set("_csrf", "A".repeat(43))).setMaxRedirects(0));
        assertThat(wrongToken.status()).isEqualTo(403);
        APIResponse signUpForged = page.request().post(portal.url("signup"), RequestOptions.create()
                .setForm(FormData.create().set("company", "Forged").set("email", "x@forged.example")).setMaxRedirects(0));
        assertThat(signUpForged.status()).isEqualTo(403);

        page.navigate(portal.url("dashboard"));
        assertThat(page.url()).isEqualTo(portal.url("dashboard"));
        assertThat(page.textContent("h1")).isEqualTo("Forged Requests Co");
        // The same request with the page's token (as htmx sends it, in the header) goes through.
        String token = page.getAttribute("input[name=_csrf]", "value");
        APIResponse real = page.request().post(portal.url("logout"), RequestOptions.create()
                .setHeader("X-CSRF-Token", token).setMaxRedirects(0));
        assertThat(real.status()).isEqualTo(303);
        page.navigate(portal.url("dashboard"));
        assertThat(page.url()).isEqualTo(portal.url("login"));
    }

    @Test
    void everyPageCarriesTheSecurityHeadersAndAssetsAreCachedForAYear() {
        Browser.Portal portal = browser().newPortal();
        Page page = browser().page();
        for (String p : new String[] {"login", "signup", "no-such-page"}) {
            Response r = page.navigate(portal.url(p));
            assertThat(r.status()).isEqualTo(p.equals("no-such-page") ? 404 : 200);
            var h = r.allHeaders();
            assertThat(h.get("content-security-policy")).contains("script-src 'self'").contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline");
            assertThat(h.get("x-content-type-options")).isEqualTo("nosniff");
            assertThat(h.get("referrer-policy")).isEqualTo("same-origin");
            assertThat(h.get("x-frame-options")).isEqualTo("DENY");
            assertThat(h.get("cache-control")).isEqualTo("no-store");
        }
        assertThat(page.textContent("h1")).isEqualTo("Page not found");
        browser().screenshots(page, "portal-not-found");
        String css = page.getAttribute("link[rel=stylesheet]", "href");
        assertThat(css).matches("/assets/app-[0-9a-f]{12}\\.css");
        APIResponse asset = page.request().get(portal.baseUrl() + css);
        assertThat(asset.headers().get("cache-control")).isEqualTo("public, max-age=31536000, immutable");
        String htmx = page.getAttribute("script[src]", "src");
        assertThat(htmx).matches("/assets/htmx-2\\.0\\.7-[0-9a-f]{12}\\.js");
        assertThat(page.request().get(portal.baseUrl() + htmx).text()).contains("htmx");
        assertThat((Boolean) page.evaluate("() => typeof window.htmx === 'object'")).isTrue();
        assertThat(page.navigate(portal.baseUrl() + "/portal/no-such-tenant/login").status()).isEqualTo(404);
    }

    @Test
    void badInputIsRefusedBesideEachFieldAndWhatWasTypedIsKept() {
        Browser.Portal portal = browser().newPortal();
        Page page = browser().page();
        page.navigate(portal.url("signup"));
        page.fill("#f-company", "Kept Values AB");
        page.fill("#f-contact_name", "Grace Hopper");
        page.fill("#f-email", "grace-at-example");
        page.fill("#f-password", "Password2024!");
        page.click("button:has-text('Create account')");

        assertThat(page.url()).isEqualTo(portal.url("signup"));
        assertThat(page.textContent("#f-email-error")).contains("Enter an email address like name@example.com.");
        assertThat(page.textContent("#f-password-error")).contains("too common");
        assertThat(page.textContent("#f-country-error")).isEqualTo("Choose your country.");
        assertThat(page.getAttribute("#f-email", "aria-invalid")).isEqualTo("true");
        assertThat(page.getAttribute("#f-email", "aria-describedby")).isEqualTo("f-email-error");
        assertThat(page.inputValue("#f-company")).isEqualTo("Kept Values AB");
        assertThat(page.inputValue("#f-contact_name")).isEqualTo("Grace Hopper");
        assertThat(page.inputValue("#f-email")).isEqualTo("grace-at-example");
        assertThat(page.inputValue("#f-password")).isEmpty();
        assertThat(page.inputValue("#f-timezone")).isEqualTo("UTC");
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-signup-errors");

        page.fill("#f-email", "grace@kept.example");
        page.selectOption("#f-country", "SE");
        page.fill("#f-password", "aaaaaaaaaaaaaaaa");
        page.click("button:has-text('Create account')");
        assertThat(page.textContent("#f-password-error")).contains("more than one or two different characters");
        page.fill("#f-password", "short");
        page.click("button:has-text('Create account')");
        assertThat(page.textContent("#f-password-error")).contains("at least 12 characters");
        assertThat(page.inputValue("#f-country")).isEqualTo("SE");

        page.fill("#f-password", PASSWORD);
        page.click("button:has-text('Create account')");
        page.waitForURL(portal.url("dashboard"));
        // The same address again, from another browser: refused beside the email field.
        Page other = browser().secondPage();
        Browser.fillSignUp(other, portal, "Second Try", "GRACE@kept.example");
        assertThat(other.textContent("#f-email-error")).contains("An account with this email already exists");
        assertThat(other.inputValue("#f-company")).isEqualTo("Second Try");
        other.context().close();
    }

    @Test
    void htmlAndScriptInTheCompanyNameAreShownAsTextNeverRun() {
        Browser.Portal portal = browser().newPortal();
        Page page = browser().page();
        AtomicBoolean dialog = new AtomicBoolean();
        page.onDialog(d -> {
            dialog.set(true);
            d.dismiss();
        });
        String evil = "<script>alert(1)</script><b>Bold</b> \"Quotes\" & Co";
        browser().signedUpCustomer(portal, evil, "owner@evil.example");
        assertThat(page.textContent("h1")).isEqualTo(evil);
        assertThat(page.textContent(".account-name")).isEqualTo(evil);
        assertThat(page.locator("main b").count()).isZero();
        assertThat(page.content()).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(dialog).isFalse();
    }
}

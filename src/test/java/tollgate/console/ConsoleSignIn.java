package tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import tollgate.audit.Audit;
import tollgate.audit.AuditEntry;
import tollgate.staff.StaffRole;
import tollgate.testing.Browser;

/** The console's way in and out, in Chromium: sign in, the layout by role, the TEST MODE strip, log out, refusals. */
abstract class ConsoleSignIn {
    /** The browser, against the server of the database the subclass names. */
    abstract Browser browser();


    @Test
    void anOwnerSignsInSeesTheWholeMenuAndTheTestModeStripThenLogsOut() {
        Browser.Console console = browser().newConsole();
        Page page = browser().page();
        page.navigate(console.url(""));
        assertThat(page.url()).isEqualTo(console.url("login"));
        page.navigate(console.url("login?workspace=" + console.workspace()));
        assertThat(page.inputValue("#f-workspace")).isEqualTo(console.workspace());
        browser().assertAccessible(page);
        browser().screenshots(page, "console-login");

        browser().signIn(page, console, console.ownerEmail());
        assertThat(page.textContent("h1")).isEqualTo("Acme Hosting");
        assertThat(page.locator(".nav a").allTextContents())
                .containsExactly("Home", "Accounts", "Invoices", "Dunning", "Catalog", "Settings", "Audit log");
        assertThat(page.textContent(".mode-strip")).contains("Test mode").contains("Test clock: 15 Jun 2026");
        assertThat(page.textContent(".account-name")).isEqualTo("Olivia Owner");
        assertThat(page.textContent("main")).contains("June 2026 so far");
        assertThat(page.context().cookies().stream().filter(c -> c.name.equals("tg_console")).findFirst().orElseThrow().httpOnly).isTrue();
        browser().assertAccessible(page);
        browser().screenshots(page, "console-home");

        page.click("button:has-text('Log out')");
        page.waitForURL(console.url("login"));
        assertThat(page.textContent(".flash")).isEqualTo("You have logged out.");
        page.navigate(console.url("home"));
        assertThat(page.url()).isEqualTo(console.url("login"));
        // The way in and the way out are in the audit log, with the member and the browser's address (decision 063).
        List<AuditEntry> entries = browser().server.app.audit.search(console.tenant(), Audit.Query.all(), 50);
        assertThat(entries).extracting(AuditEntry::action).containsExactly("staff.signed_out", "staff.signed_in");
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.actor().type()).isEqualTo("staff");
            assertThat(e.actor().label()).isEqualTo(console.ownerEmail());
            assertThat(e.objectType()).isEqualTo("staff_member");
            assertThat(e.objectId()).isEqualTo(e.actor().id());
        });
        assertThat(entries.get(1).after()).isEqualTo("{\"address\":\"127.0.0.1\",\"two_factor\":false}");
        assertThat(entries.get(0).after()).isEqualTo("{\"address\":\"127.0.0.1\"}");
    }

    /** README: the workspace is the tenant's portal slug or its id — also when it has a slug (its id was refused). */
    @Test
    void theTenantsIdIsItsWorkspaceToo() {
        Browser.Console console = browser().newConsole();
        assertThat(console.workspace()).isNotEqualTo(console.tenant().id());
        Page page = browser().page();
        page.navigate(console.url("login"));
        page.fill("#f-workspace", console.tenant().id());
        page.fill("#f-email", console.ownerEmail());
        page.fill("#f-password", Browser.PASSWORD);
        page.click("button:has-text('Sign in')");
        page.waitForURL(console.url("home"));
        assertThat(page.textContent("h1")).isEqualTo("Acme Hosting");
    }

    @Test
    void aWrongPasswordAnUnknownAddressAndAnUnknownWorkspaceGetTheSameAnswer() {
        Browser.Console console = browser().newConsole();
        // A deactivated member's right password is refused with the same words.
        String gone = browser().addStaff(console, StaffRole.SUPPORT, "Gone Member");
        var owner = browser().server.app.staff.byEmail(console.tenant(), console.ownerEmail()).orElseThrow();
        browser().server.app.staff.setActive(console.tenant(), owner, browser().server.app.staff.byEmail(console.tenant(), gone).orElseThrow().id(), false);
        Page page = browser().page();
        String[][] tries = {{console.workspace(), console.ownerEmail(), "wrong password here"},
                {console.workspace(), "nobody@nowhere.example", Browser.PASSWORD},
                {"no-such-workspace", console.ownerEmail(), Browser.PASSWORD},
                {console.workspace(), gone, Browser.PASSWORD}};
        for (String[] t : tries) {
            page.navigate(console.url("login"));
            page.fill("#f-workspace", t[0]);
            page.fill("#f-email", t[1]);
            page.fill("#f-password", t[2]);
            page.click("button:has-text('Sign in')");
            assertThat(page.textContent("#login-error")).isEqualTo(StaffSignIn.WRONG);
            assertThat(page.inputValue("#f-password")).isEmpty();
            assertThat(page.inputValue("#f-email")).isEqualTo(t[1]);
        }
        // The owners see the attempts on members the workspace knows, told apart; the caller was told the same words.
        assertThat(browser().auditOnce(console, es -> es.stream().filter(e -> e.action().startsWith("staff.sign_in")).count() >= 2))
                .filteredOn(e -> e.action().startsWith("staff.sign_in"))
                .extracting(e -> e.action() + " " + e.actor().label() + " " + e.after())
                .containsExactlyInAnyOrder(
                        "staff.sign_in_failed " + owner.email() + " {\"address\":\"127.0.0.1\",\"reason\":\"wrong_password\"}",
                        "staff.sign_in_failed " + gone + " {\"address\":\"127.0.0.1\",\"reason\":\"deactivated\"}");
    }

    @Test
    void fiveFailuresForOneAddressRefuseEvenTheRightPasswordForAWhile() {
        Browser.Console console = browser().newConsole();
        Page page = browser().page();
        for (int i = 0; i < 5; i++) {
            page.navigate(console.url("login?workspace=" + console.workspace()));
            page.fill("#f-email", console.ownerEmail());
            page.fill("#f-password", "guess number " + i + " is wrong");
            page.click("button:has-text('Sign in')");
            assertThat(page.textContent("#login-error")).isEqualTo(StaffSignIn.WRONG);
        }
        browser().enterPassword(page, console, console.ownerEmail());
        assertThat(page.textContent("#login-error")).startsWith("Too many failed attempts. Try again in 15 minutes");
        assertThat(page.url()).isEqualTo(console.url("login"));
        assertThat(page.context().cookies().stream().map(c -> c.name)).doesNotContain("tg_console");
    }

    @Test
    void theSessionCookieIsTheConsolesAndAPostWithoutTheCsrfTokenIsRefusedAndChangesNothing() {
        Browser.Console console = browser().newConsole();
        Page page = browser().page();
        browser().signIn(page, console, console.ownerEmail());
        Cookie cookie = page.context().cookies().stream().filter(c -> c.name.equals("tg_console")).findFirst().orElseThrow();
        assertThat(cookie.httpOnly).isTrue();
        assertThat(cookie.sameSite).hasToString("LAX");
        assertThat(cookie.path).isEqualTo("/console/");
        assertThat(cookie.expires).isEqualTo(-1.0); // a browser-session cookie: the server's idle and absolute limits end it

        // Forged from the same browser (its cookie goes along, as a cross-site form would send it): no token, a wrong one.
        APIResponse none = page.request().post(console.url("settings/company"), RequestOptions.create()
                .setForm(FormData.create().set("name", "Forged Ltd")).setMaxRedirects(0));
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.text()).contains("This form has expired");
        APIResponse wrong = page.request().post(console.url("settings/company"), RequestOptions.create()
                .setForm(FormData.create().set("_csrf", "A".repeat(43)).set("name", "Forged Ltd")).setMaxRedirects(0));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(browser().server.app.audit.search(console.tenant(), Audit.Query.all(), 50)).extracting(AuditEntry::action)
                .containsExactly("staff.signed_in");
        page.navigate(console.url("home"));
        assertThat(page.textContent("h1")).isEqualTo("Acme Hosting");
    }

    @Test
    void aReadOnlyMemberSeesNeitherSettingsNorTheAuditLog() {
        Browser.Console console = browser().newConsole();
        String email = browser().addStaff(console, StaffRole.READ_ONLY, "Rita Reader");
        Page page = browser().page();
        browser().signIn(page, console, email);
        assertThat(page.locator(".nav a").allTextContents()).containsExactly("Home", "Accounts", "Invoices", "Dunning", "Catalog");
        assertThat(page.textContent(".account-name")).isEqualTo("Rita Reader");
        assertThat(page.textContent("main")).contains("June 2026 so far");
        assertThat(page.locator(".mode-strip a").count()).isZero();
    }

    @Test
    void aLiveTenantHasNoTestModeStripAndAnUnknownPageIsTheConsoles404() {
        Browser.Console console = browser().newConsole("Live Co", tollgate.tenants.Tenant.Mode.LIVE);
        Page page = browser().page();
        browser().signIn(page, console, console.ownerEmail());
        assertThat(page.locator(".mode-strip").count()).isZero();
        var response = page.navigate(console.url("no-such-page"));
        assertThat(response.status()).isEqualTo(404);
        assertThat(page.textContent("h1")).isEqualTo("Page not found");
    }
}

package tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tollgate.staff.StaffRole;
import tollgate.testing.Browser;

/** The console's way in and out, in Chromium: sign in, the layout by role, the TEST MODE strip, log out, refusals. */
class ConsoleSignInBrowserTest {
    @RegisterExtension
    static final Browser browser = new Browser();

    @Test
    void anOwnerSignsInSeesTheWholeMenuAndTheTestModeStripThenLogsOut() {
        Browser.Console console = browser.newConsole();
        Page page = browser.page();
        page.navigate(console.url(""));
        assertThat(page.url()).isEqualTo(console.url("login"));
        page.navigate(console.url("login?workspace=" + console.workspace()));
        assertThat(page.inputValue("#f-workspace")).isEqualTo(console.workspace());
        browser.assertAccessible(page);
        browser.screenshots(page, "console-login");

        browser.signIn(page, console, console.ownerEmail());
        assertThat(page.textContent("h1")).isEqualTo("Acme Hosting");
        assertThat(page.locator(".nav a").allTextContents())
                .containsExactly("Home", "Accounts", "Invoices", "Dunning", "Catalog", "Settings", "Audit log");
        assertThat(page.textContent(".mode-strip")).contains("Test mode").contains("Test clock: 15 Jun 2026");
        assertThat(page.textContent(".account-name")).isEqualTo("Olivia Owner");
        assertThat(page.textContent("main")).contains("June 2026 so far");
        assertThat(page.context().cookies().stream().filter(c -> c.name.equals("tg_console")).findFirst().orElseThrow().httpOnly).isTrue();
        browser.assertAccessible(page);
        browser.screenshots(page, "console-home");

        page.click("button:has-text('Log out')");
        page.waitForURL(console.url("login"));
        assertThat(page.textContent(".flash")).isEqualTo("You have logged out.");
        page.navigate(console.url("home"));
        assertThat(page.url()).isEqualTo(console.url("login"));
    }

    @Test
    void aWrongPasswordAnUnknownAddressAndAnUnknownWorkspaceGetTheSameAnswer() {
        Browser.Console console = browser.newConsole();
        Page page = browser.page();
        String[][] tries = {{console.workspace(), console.ownerEmail(), "wrong password here"},
                {console.workspace(), "nobody@nowhere.example", Browser.PASSWORD},
                {"no-such-workspace", console.ownerEmail(), Browser.PASSWORD}};
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
    }

    @Test
    void aReadOnlyMemberSeesNeitherSettingsNorTheAuditLog() {
        Browser.Console console = browser.newConsole();
        String email = browser.addStaff(console, StaffRole.READ_ONLY, "Rita Reader");
        Page page = browser.page();
        browser.signIn(page, console, email);
        assertThat(page.locator(".nav a").allTextContents()).containsExactly("Home", "Accounts", "Invoices", "Dunning", "Catalog");
        assertThat(page.textContent(".account-name")).isEqualTo("Rita Reader");
        assertThat(page.textContent("main")).contains("June 2026 so far");
        assertThat(page.locator(".mode-strip a").count()).isZero();
    }

    @Test
    void aLiveTenantHasNoTestModeStripAndAnUnknownPageIsTheConsoles404() {
        Browser.Console console = browser.newConsole("Live Co", tollgate.tenants.Tenant.Mode.LIVE);
        Page page = browser.page();
        browser.signIn(page, console, console.ownerEmail());
        assertThat(page.locator(".mode-strip").count()).isZero();
        var response = page.navigate(console.url("no-such-page"));
        assertThat(response.status()).isEqualTo(404);
        assertThat(page.textContent("h1")).isEqualTo("Page not found");
    }
}

package tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tollgate.audit.Audit;
import tollgate.audit.AuditEntry;
import tollgate.notify.Email;
import tollgate.notify.Mailbox;
import tollgate.staff.Totp;
import tollgate.testing.Browser;
import tollgate.testing.TestClocks;

/** Staff in Chromium: an owner invites a member by email, changes their role, deactivates them; two-factor sign-in. */
abstract class ConsoleStaff {
    /** The browser, against the server of the database the subclass names. */
    abstract Browser browser();


    private Email latestMail(Browser.Console c, String template, String to) {
        return new Mailbox(browser().server.app.notifications, browser().server.app.courier).list(c.tenant(), 50).stream()
                .filter(l -> l.notification().template().equals(template) && l.notification().recipient().equalsIgnoreCase(to))
                .findFirst().map(Mailbox.Letter::email).orElseThrow(() -> new AssertionError("no " + template + " to " + to));
    }

    private List<String> actions(Browser.Console c) {
        return browser().server.app.audit.search(c.tenant(), Audit.Query.all(), 100).stream().map(AuditEntry::action).toList();
    }

    @Test
    void anOwnerInvitesASupportMemberWhoJoinsThenTheOwnerPromotesAndDeactivatesThem() {
        Browser.Console console = browser().newConsole();
        Page owner = browser().page();
        browser().signIn(owner, console, console.ownerEmail());
        owner.navigate(console.url("settings/staff"));
        owner.fill("#f-email", "sam@support.example");
        owner.selectOption("#f-role", "support");
        owner.click("button:has-text('Send invitation')");
        owner.waitForURL(console.url("settings/staff"));
        assertThat(owner.textContent(".flash")).isEqualTo("Invitation sent to sam@support.example.");
        assertThat(owner.textContent("li.person[data-email='sam@support.example']")).contains("Support").contains("Invited");
        browser().assertAccessible(owner);
        browser().screenshots(owner, "console-staff");

        Email mail = latestMail(console, "staff_invitation", "sam@support.example");
        assertThat(mail.subject()).isEqualTo("Olivia Owner invites you to the Acme Hosting console");
        Matcher m = Pattern.compile("https?://[^\\s/]+(/console/invitations/\\S+)").matcher(mail.text());
        assertThat(m.find()).isTrue();
        Page sam = browser().secondPage();
        sam.navigate(browser().server.baseUrl + m.group(1));
        assertThat(sam.textContent("h1")).isEqualTo("Join Acme Hosting");
        browser().assertAccessible(sam);
        browser().screenshots(sam, "console-accept-invitation");
        sam.fill("#f-name", "Sam Support");
        sam.fill("#f-password", "short");
        sam.click("button:has-text('Join')");
        assertThat(sam.textContent("#f-password-error")).isNotBlank();
        assertThat(sam.inputValue("#f-name")).isEqualTo("Sam Support");
        sam.fill("#f-password", Browser.PASSWORD);
        sam.click("button:has-text('Join')");
        sam.waitForURL(console.url("home"));
        assertThat(sam.locator(".nav a").allTextContents()).containsExactly("Home", "Accounts", "Invoices", "Dunning", "Catalog");
        assertThat(sam.navigate(console.url("settings")).status()).isEqualTo(403);
        assertThat(sam.navigate(console.url("settings/staff")).status()).isEqualTo(403);
        // The link is single-use.
        assertThat(sam.navigate(browser().server.baseUrl + m.group(1)).status()).isEqualTo(410);

        owner.navigate(console.url("settings/staff"));
        String samRow = "li.person[data-email='sam@support.example']";
        owner.selectOption(samRow + " select", "admin");
        owner.click(samRow + " button:has-text('Save role')");
        assertThat(owner.textContent(".flash")).isEqualTo("Sam Support is now admin.");
        sam.navigate(console.url("home"));
        assertThat(sam.locator(".nav a").allTextContents()).contains("Settings", "Audit log");

        owner.click(samRow + " button:has-text('Deactivate')");
        assertThat(owner.textContent(".flash")).isEqualTo("Sam Support can no longer sign in.");
        sam.navigate(console.url("home"));
        assertThat(sam.url()).isEqualTo(console.url("login"));
        assertThat(actions(console)).contains("staff.invited", "staff.joined", "staff.role_changed", "staff.deactivated");
        sam.context().close();
    }

    @Test
    void twoFactorSignInAsksACodeRefusesOneUsedBeforeAndTakesARecoveryCodeOnce() {
        Browser.Console console = browser().newConsole();
        Page page = browser().page();
        browser().signIn(page, console, console.ownerEmail());
        page.navigate(console.url("account/security"));
        browser().assertAccessible(page);
        page.click("button:has-text('Turn on two-factor sign-in')");
        assertThat(page.getAttribute("img.qr", "src")).startsWith("data:image/svg+xml;base64,");
        byte[] secret = Totp.fromBase32(page.textContent("#totp-secret"));
        browser().assertAccessible(page);
        browser().screenshots(page, "console-two-factor");
        long step = Totp.step(TestClocks.now().getEpochSecond());
        page.fill("#f-code", "000000".equals(Totp.code(secret, step)) ? "111111" : "000000");
        page.click("button:has-text('Turn on')");
        assertThat(page.textContent("#f-code-error")).contains("not right");
        page.fill("#f-code", Totp.code(secret, step));
        page.click("button:has-text('Turn on')");
        List<String> codes = page.locator(".recovery-codes code").allTextContents();
        assertThat(codes).hasSize(10).allMatch(c -> c.matches("[a-z2-7]{5}-[a-z2-7]{5}"));
        browser().screenshots(page, "console-recovery-codes");

        page.click("button:has-text('Log out')");
        browser().enterPassword(page, console, console.ownerEmail());
        page.waitForURL(console.url("login/code"));
        browser().assertAccessible(page);
        browser().screenshots(page, "console-login-code");
        // Not signed in yet: the pages still send the browser to sign in.
        page.navigate(console.url("home"));
        assertThat(page.url()).isEqualTo(console.url("login"));
        page.navigate(console.url("login/code"));
        page.fill("#f-code", Totp.code(secret, step));
        page.click("button:has-text('Verify')");
        assertThat(page.textContent("#code-error")).contains("used already");
        // A later step's code (the test may have run past the enrolment's step: the newer of the two).
        long next = Math.max(Totp.step(TestClocks.now().getEpochSecond()), step + 1);
        page.fill("#f-code", Totp.code(secret, next));
        page.click("button:has-text('Verify')");
        page.waitForURL(console.url("home"));

        page.click("button:has-text('Log out')");
        browser().enterPassword(page, console, console.ownerEmail());
        page.fill("#f-code", Totp.code(secret, next));
        page.click("button:has-text('Verify')");
        assertThat(page.textContent("#code-error")).contains("used already");
        page.fill("#f-code", codes.get(0).toUpperCase());
        page.click("button:has-text('Verify')");
        page.waitForURL(console.url("home"));

        page.click("button:has-text('Log out')");
        browser().enterPassword(page, console, console.ownerEmail());
        page.fill("#f-code", codes.get(0));
        page.click("button:has-text('Verify')");
        assertThat(page.textContent("#code-error")).contains("used already");
        assertThat(actions(console)).contains("staff.two_factor_enabled");
        // Every way in and out is audited (decision 063): one sign-in by password before enrolling, two by code, three
        // refused codes (each "used already"), three log-outs.
        List<AuditEntry> entries = browser().auditOnce(console,
                es -> es.stream().filter(e -> e.action().equals("staff.sign_in_failed")).count() >= 3);
        assertThat(entries).filteredOn(e -> e.action().equals("staff.signed_in")).extracting(AuditEntry::after)
                .containsExactlyInAnyOrder("{\"address\":\"127.0.0.1\",\"two_factor\":false}",
                        "{\"address\":\"127.0.0.1\",\"two_factor\":true}", "{\"address\":\"127.0.0.1\",\"two_factor\":true}");
        assertThat(entries).filteredOn(e -> e.action().equals("staff.sign_in_failed")).hasSize(3)
                .allSatisfy(e -> assertThat(e.after()).isEqualTo("{\"address\":\"127.0.0.1\",\"reason\":\"wrong_code\"}"));
        assertThat(entries).filteredOn(e -> e.action().equals("staff.signed_out")).hasSize(3)
                .allSatisfy(e -> assertThat(e.actor().label()).isEqualTo(console.ownerEmail()));
    }
}

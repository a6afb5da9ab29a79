package tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import tollgate.audit.Audit;
import tollgate.audit.AuditEntry;
import tollgate.staff.StaffRole;
import tollgate.testing.ApiClient;
import tollgate.testing.Browser;

/**
 * Settings, the test clock and the audit log in Chromium, with the role matrix: read_only and support reach none of
 * them, and a forged POST of theirs is refused 403 with nothing changed and nothing audited.
 */
abstract class ConsoleSettings {
    /** The browser, against the server of the database the subclass names. */
    abstract Browser browser();


    private List<AuditEntry> audit(Browser.Console c) {
        return browser().server.app.audit.search(c.tenant(), Audit.Query.all(), 200);
    }

    private static byte[] png() throws Exception {
        BufferedImage img = new BufferedImage(160, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(0x0f766e));
        g.fillRect(0, 0, 160, 48);
        g.setColor(Color.WHITE);
        g.fillOval(10, 8, 32, 32);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void anOwnerEditsTheCompanyUploadsALogoSendsATestMailAndManagesKeysAndWebhooks() throws Exception {
        Browser.Console console = browser().newConsole();
        Page page = browser().page();
        browser().signIn(page, console, console.ownerEmail());
        page.click(".nav a:has-text('Settings')");
        page.waitForURL(console.url("settings"));
        assertThat(page.locator(".settings-link h2").allTextContents()).contains("Company and branding", "API keys", "Webhooks",
                "Email", "Staff", "Your sign-in", "Test clock");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-settings");

        page.navigate(console.url("settings/company"));
        page.fill("#f-name", "");
        page.fill("#f-legal_name", "Acme Hosting GmbH");
        page.click("button:has-text('Save company details')");
        assertThat(page.textContent("#f-name-error")).isEqualTo("Enter your business's name.");
        assertThat(page.inputValue("#f-legal_name")).isEqualTo("Acme Hosting GmbH");
        page.fill("#f-name", "Acme Hosting");
        page.fill("#f-country", "de");
        page.fill("#f-city", "Berlin");
        page.click("button:has-text('Save company details')");
        assertThat(page.textContent(".flash")).isEqualTo("Company details saved.");
        page.setInputFiles("#f-logo", new FilePayload("notes.txt", "text/plain", "not an image".getBytes()));
        page.click("button:has-text('Upload')");
        assertThat(page.textContent(".flash")).isEqualTo("The logo must be a PNG or JPEG image.");
        page.setInputFiles("#f-logo", new FilePayload("logo.png", "image/png", png()));
        page.click("button:has-text('Upload')");
        assertThat(page.textContent(".flash")).startsWith("Logo uploaded");
        String logo = page.getAttribute(".logo-preview img", "src");
        assertThat(logo).startsWith("/brand/" + console.tenant().id() + "/").endsWith(".png");
        assertThat(page.request().get(console.baseUrl() + logo).headers().get("content-type")).isEqualTo("image/png");
        assertThat(browser().server.app.tenantProfiles.get(console.tenant()).branding().logoUrl()).endsWith(logo);
        browser().assertAccessible(page);
        browser().screenshots(page, "console-settings-company");
        // The portal's header wears the logo.
        Page portal = browser().secondPage();
        portal.navigate(console.baseUrl() + "/portal/" + console.workspace() + "/login");
        assertThat(portal.getAttribute(".brand-logo", "src")).isEqualTo(logo);
        portal.context().close();

        page.navigate(console.url("settings/email"));
        page.fill("#f-sender_name", "Acme Billing");
        page.fill("#f-brand_color", "blue");
        page.click("button:has-text('Save email settings')");
        assertThat(page.textContent("#f-brand_color-error")).contains("colour");
        page.fill("#f-brand_color", "#0f766e");
        page.click("button:has-text('Save email settings')");
        assertThat(page.textContent(".flash")).isEqualTo("Email settings saved.");
        page.click("button:has-text('Send a test message')");
        assertThat(page.textContent(".flash")).isEqualTo("A test message is on its way to " + console.ownerEmail() + ".");
        var letter = new tollgate.notify.Mailbox(browser().server.app.notifications, browser().server.app.courier).list(console.tenant(), 10)
                .stream().filter(l -> l.notification().template().equals("console_test_email")).findFirst().orElseThrow();
        assertThat(letter.email().fromName()).isEqualTo("Acme Billing");
        assertThat(letter.email().html()).contains(logo, "#0f766e");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-settings-email");

        page.navigate(console.url("settings/api-keys"));
        page.fill("#f-name", "Production app");
        page.click("button:has-text('Create key')");
        String secret = page.textContent("#secret");
        assertThat(secret).startsWith("tg_test_");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-api-key-created");
        page.click("a:has-text('I have copied it')");
        assertThat(page.textContent("table")).contains("Production app").doesNotContain(secret);
        assertThat(browser().server.anonymous().withKey(secret).get("/v1/accounts").status()).isEqualTo(200);
        browser().assertAccessible(page);
        browser().screenshots(page, "console-api-keys");
        // Revoking cannot be undone: the button asks first, and Cancel leaves the key working.
        page.click("tr:has-text('Production app') a:has-text('Revoke')");
        assertThat(page.textContent("h1")).startsWith("Revoke the key tg_test_").endsWith("?");
        assertThat(page.textContent(".consequences")).contains("refused from now on", "Production app", "cannot be undone");
        browser().assertAccessible(page);
        page.click("a:has-text('Cancel')");
        page.waitForURL(console.url("settings/api-keys"));
        assertThat(browser().server.anonymous().withKey(secret).get("/v1/accounts").status()).isEqualTo(200);
        assertThat(audit(console).stream().map(AuditEntry::action)).doesNotContain("api_key.revoked");
        page.click("tr:has-text('Production app') a:has-text('Revoke')");
        page.click("button:has-text('Revoke key')");
        page.waitForURL(console.url("settings/api-keys"));
        assertThat(page.textContent(".flash")).contains("is revoked");
        assertThat(page.textContent("table")).doesNotContain("Production app");
        assertThat(browser().server.anonymous().withKey(secret).get("/v1/accounts").status()).isEqualTo(401);

        page.navigate(console.url("settings/webhooks"));
        page.fill("#f-url", "ftp://example.com/hooks");
        page.click("button:has-text('Add endpoint')");
        assertThat(page.textContent("#f-url-error")).isNotBlank();
        page.fill("#f-url", "http://127.0.0.1:9/hooks/tollgate");
        page.click("button:has-text('Add endpoint')");
        assertThat(page.textContent("#secret")).startsWith("whsec_");
        page.click("a:has-text('I have copied it')");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-webhooks");
        // The hint's examples are event types an endpoint can hear.
        String hint = page.textContent("#f-events-hint");
        assertThat(hint).contains("invoice.paid, invoice.payment_failed");
        for (String type : hint.substring(hint.lastIndexOf(':') + 1).split(","))
            assertThat(tollgate.events.EventTypes.KNOWN).as(hint).contains(type.strip());
        page.click("a:has-text('http://127.0.0.1:9/hooks/tollgate')");
        assertThat(page.textContent("h1")).isEqualTo("http://127.0.0.1:9/hooks/tollgate");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-webhook-deliveries");
        // Deleting an endpoint cannot be undone: it asks first, and Cancel keeps it.
        page.navigate(console.url("settings/webhooks"));
        page.click("tr:has-text('http://127.0.0.1:9/hooks/tollgate') a:has-text('Delete')");
        assertThat(page.textContent("h1")).isEqualTo("Delete the endpoint http://127.0.0.1:9/hooks/tollgate?");
        assertThat(page.textContent(".consequences")).contains("Nothing more is sent to it", "cannot be undone");
        browser().assertAccessible(page);
        page.click("a:has-text('Cancel')");
        page.waitForURL(console.url("settings/webhooks"));
        assertThat(browser().server.app.webhooks.list(console.tenant(), new tollgate.core.Paging(10, null)).data()).hasSize(1);
        page.click("tr:has-text('http://127.0.0.1:9/hooks/tollgate') a:has-text('Delete')");
        page.click("button:has-text('Delete endpoint')");
        page.waitForURL(console.url("settings/webhooks"));
        assertThat(page.textContent(".flash")).isEqualTo("The endpoint http://127.0.0.1:9/hooks/tollgate is deleted.");
        assertThat(browser().server.app.webhooks.list(console.tenant(), new tollgate.core.Paging(10, null)).data()).isEmpty();

        assertThat(audit(console).stream().map(AuditEntry::action).toList()).contains("settings.company_updated", "settings.logo_uploaded",
                "settings.email_updated", "settings.test_email_sent", "api_key.created", "api_key.revoked", "webhook_endpoint.created",
                "webhook_endpoint.deleted");
        AuditEntry company = audit(console).stream().filter(e -> e.action().equals("settings.company_updated")).findFirst().orElseThrow();
        assertThat(company.actor().label()).isEqualTo(console.ownerEmail());
        assertThat(company.after()).contains("\"legal_name\":\"Acme Hosting GmbH\"", "\"country\":\"DE\"");
    }

    @Test
    void theAuditLogHoldsStaffActionsAndApiWritesAndIsSearchable() {
        Browser.Console console = browser().newConsole();
        ApiClient api = browser().server.anonymous().withKey(console.secretKey());
        ApiClient.Res account = api.post("/v1/accounts", "{\"name\":\"Globex\",\"email\":\"ap@globex.example\",\"currency\":\"EUR\"}");
        assertThat(account.status()).isEqualTo(200);
        api.get("/v1/accounts");
        Page page = browser().page();
        browser().signIn(page, console, console.ownerEmail());
        page.navigate(console.url("settings/api-keys"));
        page.fill("#f-name", "CI");
        page.click("button:has-text('Create key')");

        page.navigate(console.url("audit"));
        assertThat(page.textContent(".audit-table")).contains("api_key.created", console.ownerEmail(), "api.post", account.str("id"),
                "staff.signed_in");
        assertThat(page.locator(".audit-table tbody tr").count()).isEqualTo(3);
        browser().assertAccessible(page);
        browser().screenshots(page, "console-audit-log");
        ConsoleBoard.assertFiltersFitAPhone(page);
        page.fill("#f-action", "api.");
        page.click("button:has-text('Search')");
        assertThat(page.locator(".audit-table tbody tr").count()).isEqualTo(1);
        assertThat(page.textContent(".audit-table")).contains("\"path\":\"/v1/accounts\"", "\"status\":200", "API key");
        page.navigate(console.url("audit?object=" + account.str("id")));
        assertThat(page.locator(".audit-table tbody tr").count()).isEqualTo(1);
        page.navigate(console.url("audit?from=2000-01-01&to=2000-01-31"));
        assertThat(page.textContent(".empty")).isEqualTo("Nothing matches.");
        page.navigate(console.url("audit?from=yesterday"));
        assertThat(page.textContent("#f-from-error")).isEqualTo("Use a date like 2026-06-01.");
    }

    @Test
    void theTestClockAdvancesToTheNextFirstAndToADateWithAProgressBar() {
        Browser.Console console = browser().newConsole();
        Page page = browser().page();
        browser().signIn(page, console, console.ownerEmail());
        page.click(".mode-strip a:has-text('Test clock')");
        page.waitForURL(console.url("test-clock"));
        assertThat(page.textContent("#clock-now")).startsWith("15 Jun 2026");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-test-clock");
        page.fill("#f-to", "2020-01-01");
        page.click("button:has-text('Advance'):not(:has-text('to'))");
        assertThat(page.textContent("#f-to-error")).startsWith("Choose a date after the test clock's");
        page.click("button:has-text('Advance to 1 Jul 2026')");
        page.waitForURL(console.url("test-clock"));
        page.waitForSelector("#clock-progress h2:has-text('Advance finished')", new Page.WaitForSelectorOptions().setTimeout(60_000));
        assertThat(page.getAttribute("#clock-progress progress", "value")).isEqualTo("100");
        // When it has finished, the whole page is the new time's, without reloading it by hand: the strip, the clock, the
        // next 1st its button offers, and no notice that it is still advancing.
        assertFinishedAt(page, "1 Jul 2026, 00:00 UTC", "1 Aug 2026");
        browser().assertAccessible(page);
        // A page drawn while the advance ran polls its progress: once the advance has finished, the answer reloads it.
        assertThat(page.request().get(console.url("test-clock/progress")).headers()).containsEntry("hx-refresh", "true");
        page.evaluate("() => { window.drawnBefore = true; const card = document.querySelector('#clock-progress');"
                + " card.setAttribute('hx-get', '/console/test-clock/progress'); card.setAttribute('hx-trigger', 'load'); htmx.process(card); }");
        page.waitForFunction("() => window.drawnBefore === undefined");
        assertFinishedAt(page, "1 Jul 2026, 00:00 UTC", "1 Aug 2026");

        // Advance to a date: midnight UTC of the day typed.
        page.fill("#f-to", "2026-07-15");
        page.click("button:has-text('Advance'):not(:has-text('to'))");
        page.waitForURL(console.url("test-clock"));
        page.waitForSelector("#clock-progress h2:has-text('Advance finished')", new Page.WaitForSelectorOptions().setTimeout(60_000));
        assertFinishedAt(page, "15 Jul 2026, 00:00 UTC", "1 Aug 2026");
        assertThat(browser().server.app.testClock.now(console.tenant())).isEqualTo(java.time.Instant.parse("2026-07-15T00:00:00Z"));
        assertThat(audit(console).stream().map(AuditEntry::action).filter("test_clock.advanced"::equals)).hasSize(2);
    }

    private static void assertFinishedAt(Page page, String now, String nextFirst) {
        assertThat(page.textContent("#clock-now")).isEqualTo(now);
        assertThat(page.textContent(".mode-strip")).contains("Test clock: " + now);
        assertThat(page.textContent("#clock-progress")).contains("The test clock is at " + now);
        assertThat(page.locator("main").textContent()).doesNotContain("Advancing");
        assertThat(page.locator("button:has-text('Advance to')").textContent()).isEqualTo("Advance to " + nextFirst);
    }

    @Test
    void readOnlyAndSupportReachNoSettingsAndTheirForgedPostsAreRefusedAndNotAudited() {
        Browser.Console console = browser().newConsole();
        for (StaffRole role : new StaffRole[] {StaffRole.READ_ONLY, StaffRole.SUPPORT}) {
            String email = browser().addStaff(console, role, role.label() + " Person");
            Page page = browser().secondPage();
            browser().signIn(page, console, email);
            for (String path : List.of("settings", "settings/company", "settings/email", "settings/api-keys", "settings/webhooks",
                    "settings/staff", "audit", "test-clock"))
                assertThat(page.navigate(console.url(path)).status()).as(role + " " + path).isEqualTo(403);
            assertThat(page.textContent("h1")).isEqualTo("Not allowed");
            if (role == StaffRole.READ_ONLY) {
                browser().assertAccessible(page);
                browser().screenshots(page, "console-forbidden");
            }
            // A forged POST with the member's own valid session and CSRF token: refused by the role check.
            page.navigate(console.url("home"));
            String csrf = page.getAttribute("body", "hx-headers").replaceAll(".*\"X-CSRF-Token\":\"([^\"]+)\".*", "$1");
            int keys = browser().server.app.secretKeys.list(console.tenant()).size();
            int entries = audit(console).size();
            for (String[] post : new String[][] {{"settings/api-keys", "name"}, {"settings/company", "name"}, {"settings/email", "sender_name"},
                    {"settings/staff/invite", "email"}, {"test-clock/advance", "mode"}, {"settings/email/test", "x"}}) {
                APIResponse r = page.request().post(console.url(post[0]), RequestOptions.create().setForm(FormData.create()
                        .set("_csrf", csrf).set(post[1], "forged@evil.example").set("role", "admin").set("to", "2027-01-01")));
                assertThat(r.status()).as(role + " POST " + post[0]).isEqualTo(403);
            }
            assertThat(browser().server.app.secretKeys.list(console.tenant())).hasSize(keys);
            assertThat(browser().server.app.tenantProfiles.get(console.tenant()).name()).isEqualTo("Acme Hosting");
            assertThat(audit(console)).hasSize(entries);
            page.context().close();
        }
    }
}

package tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tollgate.tenants.Tenant;
import tollgate.tenants.Tenants;

/**
 * Browser tests' fixture: Debian's Chromium driven by Playwright, one browser per test class and a fresh context
 * (cookies, storage) per test, against the shared H2 {@link TestServer} (or another database's). A suite is an abstract
 * class whose tests call an abstract {@code browser()}; its H2 subclass holds
 * {@code @RegisterExtension static final Browser browser = new Browser();} and its PostgreSQL subclass
 * {@link #onPostgres()} (and {@link ServedFromPostgres}). A test then takes {@link #page()}, and {@link #newPortal()}
 * for a tenant of its own with a portal slug.
 */
public final class Browser implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    public static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final AtomicInteger SLUGS = new AtomicInteger();
    private static final String RUN = Long.toString(System.nanoTime() % 1_000_000, 36);

    private Playwright playwright;
    private com.microsoft.playwright.Browser chromium;
    private BrowserContext context;
    private Page page;
    public final TestServer server;

    public Browser() {
        this(TestDatabase.H2);
    }

    /** Against {@code database}'s shared {@link TestServer}. */
    public Browser(TestDatabase database) {
        server = TestServer.on(database);
    }

    /** Against PostgreSQL's shared server when the tests have PostgreSQL, else H2's (a test that needs it checks). */
    public static Browser onPostgres() {
        return new Browser(TestDatabase.available().contains(TestDatabase.POSTGRES) ? TestDatabase.POSTGRES : TestDatabase.H2);
    }

    /** A tenant of the shared server with its portal at {@link #url}. */
    public record Portal(Tenant tenant, String slug, String baseUrl) {
        /** The absolute URL of a portal page, e.g. {@code url("login")}. */
        public String url(String page) {
            return baseUrl + "/portal/" + slug + "/" + page;
        }
    }

    @Override
    public void beforeAll(ExtensionContext c) {
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        chromium = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM).setHeadless(true)
                .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
    }

    @Override
    public void beforeEach(ExtensionContext c) {
        context = chromium.newContext(new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(1280, 900));
        context.setDefaultTimeout(10_000);
        page = context.newPage();
    }

    @Override
    public void afterEach(ExtensionContext c) {
        if (context != null) context.close();
        context = null;
        page = null;
    }

    @Override
    public void afterAll(ExtensionContext c) {
        if (chromium != null) chromium.close();
        if (playwright != null) playwright.close();
    }

    /** This test's page (a fresh browser context: no cookies from other tests). */
    public Page page() {
        return page;
    }

    /** Another browser, as a second device of the same person or another person (closed with the test). */
    public Page secondPage() {
        return chromium.newContext(new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(1280, 900)).newPage();
    }

    public BrowserContext context() {
        return context;
    }

    /** A new test tenant with a portal slug of its own. */
    public Portal newPortal() {
        return newPortal("Acme Hosting");
    }

    public Portal newPortal(String name) {
        Tenants.Created created = server.app.tenants.create(name, Tenant.Mode.TEST);
        String slug = "t-" + RUN + "-" + SLUGS.incrementAndGet();
        server.app.tenants.setSlug(created.tenant().id(), slug);
        return new Portal(created.tenant(), slug, server.baseUrl);
    }

    /** A test tenant's console (decision 041) with an owner who signs in with {@link #PASSWORD}. */
    public record Console(Tenant tenant, String workspace, String baseUrl, String ownerEmail, String secretKey) {
        /** The absolute URL of a console page, e.g. {@code url("home")}. */
        public String url(String page) {
            return baseUrl + "/console/" + page;
        }
    }

    /** A new test tenant with a console owner, {@code owner@…}; {@link #signIn} signs a member in. */
    public Console newConsole() {
        return newConsole("Acme Hosting");
    }

    public Console newConsole(String name) {
        return newConsole(name, Tenant.Mode.TEST);
    }

    public Console newConsole(String name, Tenant.Mode mode) {
        Tenants.Created created = server.app.tenants.create(name, mode);
        return consoleFor(created.tenant(), created.secretKey());
    }

    /** The console of a test tenant made through the API (its own clock, e.g. {@code Scenario.tenantAt(…)}), with an owner. */
    public Console consoleOf(ApiClient api) {
        return consoleFor(api.tenant, api.key);
    }

    private Console consoleFor(Tenant tenant, String secretKey) {
        String slug = "t-" + RUN + "-" + SLUGS.incrementAndGet();
        server.app.tenants.setSlug(tenant.id(), slug);
        Console c = new Console(tenant, slug, server.baseUrl, "owner@" + slug + ".example", secretKey);
        server.app.staff.create(tenant, c.ownerEmail(), "Olivia Owner", tollgate.staff.StaffRole.OWNER,
                tollgate.web.Passwords.hash(PASSWORD));
        return c;
    }

    /** Signs {@code email} in up to the two-factor code page (for members who turned it on). */
    public void enterPassword(Page p, Console c, String email) {
        p.navigate(c.url("login?workspace=" + c.workspace()));
        p.fill("#f-email", email);
        p.fill("#f-password", PASSWORD);
        p.click("button:has-text('Sign in')");
    }

    /** Adds a member of {@code role} to the console (password {@link #PASSWORD}) and answers their address. */
    public String addStaff(Console c, tollgate.staff.StaffRole role, String name) {
        String email = role.wire().replace('_', '-') + "@" + c.workspace() + ".example";
        server.app.staff.create(c.tenant(), email, name, role, tollgate.web.Passwords.hash(PASSWORD));
        return email;
    }

    /** Signs {@code email} in through the sign-in form and waits for the home page. */
    public void signIn(Page p, Console c, String email) {
        enterPassword(p, c, email);
        p.waitForURL(c.url("home"));
    }

    // ---- customers signed up through the portal's own form (the set-up every portal browser test shares) ----

    /** The password every test customer signs up with. */
    public static final String PASSWORD = "correct horse battery staple";

    /** An account opened by signing up in the browser: its id, its owner's address and the page signed in as the owner. */
    public record Customer(Portal portal, String account, String email, Page page) {}

    /** A portal for a test tenant made through the API (its own clock, e.g. {@code server.newTenantAt(…)}). */
    public Portal portalOf(ApiClient api) {
        String slug = "t-" + RUN + "-" + SLUGS.incrementAndGet();
        server.app.tenants.setSlug(api.tenant.id(), slug);
        return new Portal(api.tenant, slug, server.baseUrl);
    }

    /** Signs up on this test's page: a company in Berlin (VAT id, address, Europe/Berlin) whose owner is Ada Lovelace. */
    public Customer signedUpCustomer(Portal portal, String company, String email) {
        return signedUpCustomer(page, portal, company, email);
    }

    /** The same on another page (a second browser), which ends signed in on the dashboard. */
    public Customer signedUpCustomer(Page p, Portal portal, String company, String email) {
        fillSignUp(p, portal, company, email);
        p.waitForURL(portal.url("dashboard"), new Page.WaitForURLOptions().setTimeout(30_000));
        return new Customer(portal, server.app.portalUsers.byEmail(portal.tenant(), email).orElseThrow().accountId(), email, p);
    }

    /** Fills the sign-up form and sends it, without waiting for where it lands (a refused form stays on the page). */
    public static void fillSignUp(Page p, Portal portal, String company, String email) {
        // The first page of a run may wait for the server's first-use warm-up on a loaded machine.
        p.navigate(portal.url("signup"), new Page.NavigateOptions().setTimeout(30_000));
        p.fill("#f-company", company);
        p.fill("#f-vat_id", "DE123456789");
        p.fill("#f-address_line1", "Friedrichstraße 12");
        p.fill("#f-city", "Berlin");
        p.fill("#f-postal_code", "10117");
        p.selectOption("#f-country", "DE");
        p.selectOption("#f-timezone", "Europe/Berlin");
        p.fill("#f-contact_name", "Ada Lovelace");
        p.fill("#f-email", email);
        p.fill("#f-password", PASSWORD);
        // Sign-up hashes a password with Argon2id: slow on a loaded machine.
        p.click("button:has-text('Create account')", new Page.ClickOptions().setTimeout(30_000));
    }

    /** Fills the log-in form and sends it, without waiting for where it lands. */
    public static void logIn(Page p, Portal portal, String email, String password) {
        p.navigate(portal.url("login"));
        p.fill("#f-email", email);
        p.fill("#f-password", password);
        p.click("button:has-text('Log in')", new Page.ClickOptions().setTimeout(30_000));
    }

    /** Runs axe-core on the page as it is and fails on any serious or critical violation (WCAG 2.x A/AA rules). */
    /**
     * The console tenant's audit log (newest first) once {@code ready} holds of it, waiting up to 10 s: a refused sign-in
     * is written off the request's path (decision 063), after the page has answered.
     */
    public List<tollgate.audit.AuditEntry> auditOnce(Console c, java.util.function.Predicate<List<tollgate.audit.AuditEntry>> ready) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (true) {
            List<tollgate.audit.AuditEntry> entries = server.app.audit.search(c.tenant(), tollgate.audit.Audit.Query.all(), 200);
            if (ready.test(entries) || System.nanoTime() > deadline) return entries;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return entries;
            }
        }
    }

    public void assertAccessible(Page p) {
        List<Rule> bad = new AxeBuilder(p).withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"))
                .analyze().getViolations().stream()
                .filter(r -> "serious".equals(r.getImpact()) || "critical".equals(r.getImpact())).toList();
        assertThat(bad).as(() -> "axe-core on " + p.url() + ": " + bad.stream()
                .map(r -> r.getId() + " (" + r.getImpact() + "): " + r.getHelp() + " at " + r.getNodes().stream()
                        .map(n -> String.valueOf(n.getTarget())).toList()).toList()).isEmpty();
    }

    /** Saves docs/images/{name}-1280.png and -390.png (full page), then restores the desktop width. */
    public void screenshots(Page p, String name) {
        for (int width : new int[] {1280, 390}) {
            p.setViewportSize(width, width == 390 ? 844 : 900);
            p.screenshot(new Page.ScreenshotOptions().setFullPage(true).setPath(Paths.get("docs/images/" + name + "-" + width + ".png")));
        }
        p.setViewportSize(1280, 900);
    }
}

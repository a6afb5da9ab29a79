package tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tollgate.audit.Audit;
import tollgate.staff.StaffRole;
import tollgate.testing.ApiClient;
import tollgate.testing.Browser;
import tollgate.testing.Fixtures;

/**
 * Issue 14 point 9, the role matrix: what {@code read_only} and {@code support} must not do, over the pages (menu
 * entries and buttons hidden, the page itself 403) and over forged requests (a POST with the member's own session and a
 * valid CSRF token, so only the role check stands in the way: 403, nothing changed, nothing audited). Each action is
 * one row of {@link #POSTS} or {@link #PAGES}: a new action is a new row. Roles from decision 041: support acts on
 * accounts but changes neither the catalog, keys, webhooks, settings, staff nor the test clock; read_only changes nothing.
 * What a role may do is checked too: its buttons are drawn, its form pages open, and its POSTs pass the role check (never
 * 403) — those naming an audit action take effect, after the refused ones were shown to change nothing.
 */
abstract class ConsoleRoleMatrix {
    /** The browser, against the server of the database the subclass names. */
    abstract Browser browser();


    static final Set<StaffRole> BOTH = EnumSet.of(StaffRole.READ_ONLY, StaffRole.SUPPORT);
    static final Set<StaffRole> READ_ONLY = EnumSet.of(StaffRole.READ_ONLY);

    /**
     * The seller's objects the rows name: {plan}, {pro} (a dearer flat plan), {invoice}, {account}, {subscription}, {key},
     * {webhook}, {owner}, and {resume_on} (ten days after the seller's today).
     */
    record Seller(Browser.Console console, ApiClient api, Map<String, String> ids) {
        String path(String template) {
            String p = template;
            for (Map.Entry<String, String> e : ids.entrySet()) p = p.replace("{" + e.getKey() + "}", e.getValue());
            return p;
        }
    }

    /**
     * A change the roles in {@code refusedTo} must not make: POST {@code path} with {@code form}. The other roles pass the
     * role check; when {@code doneAs} names an audit action, their POST takes effect (303) and is audited as it.
     */
    record Post(String what, String path, Map<String, String> form, Set<StaffRole> refusedTo, String doneAs) {
        Post(String what, String path, Map<String, String> form, Set<StaffRole> refusedTo) {
            this(what, path, form, refusedTo, null);
        }
    }

    /** A page the roles in {@code refusedTo} may not open (403), and the others may (200). */
    record Get(String what, String path, Set<StaffRole> refusedTo) {}

    static final List<Post> POSTS = List.of(
            // Catalog and policies (decision 048)
            new Post("create a plan", "catalog/plans", Map.of("type", "flat", "name", "Forged", "currency", "usd", "amount", "1"), BOTH),
            new Post("change a plan's metadata", "catalog/plans/{plan}/metadata", Map.of("metadata", "forged = yes"), BOTH),
            new Post("create a coupon", "catalog/coupons", Map.of("percent_off", "100", "duration", "forever"), BOTH),
            new Post("create a dunning policy", "catalog/policies", Map.of("name", "Forged", "step_rows", "1", "step_after_days_0", "0",
                    "step_action_0", "cancel_services"), BOTH),
            new Post("preview a dunning policy", "catalog/policies/preview", Map.of("step_after_days_0", "0"), BOTH),
            new Post("make a policy the default", "catalog/policies/hosting_default/default", Map.of(), BOTH),
            // API keys, webhooks, settings, staff, test clock (decision 041)
            new Post("create an API key", "settings/api-keys", Map.of("name", "Forged"), BOTH),
            new Post("revoke an API key", "settings/api-keys/{key}/revoke", Map.of(), BOTH),
            new Post("add a webhook endpoint", "settings/webhooks", Map.of("url", "https://evil.example/hook"), BOTH),
            new Post("delete a webhook endpoint", "settings/webhooks/{webhook}/delete", Map.of(), BOTH),
            new Post("change the company details", "settings/company", Map.of("name", "Forged Ltd"), BOTH),
            new Post("remove the logo", "settings/logo/remove", Map.of(), BOTH),
            new Post("change the email settings", "settings/email", Map.of("sender_name", "Forged"), BOTH),
            new Post("send a test email", "settings/email/test", Map.of(), BOTH),
            new Post("invite staff", "settings/staff/invite", Map.of("email", "forged@evil.example", "role", "admin"), BOTH),
            new Post("change a member's role", "settings/staff/{owner}/role", Map.of("role", "read_only"), BOTH),
            new Post("deactivate a member", "settings/staff/{owner}/active", Map.of("active", "false"), BOTH),
            new Post("advance the test clock", "test-clock/advance", Map.of("mode", "next_first"), BOTH),
            // Account actions (decisions 042, 049, 052): support may, read_only may not. In this order support's all take
            // effect but three: seats on a flat plan (422), the portal of an account without portal users (422), and voiding
            // an invoice already marked uncollectible; those pass the role check, as the others, and are refused by the rules.
            new Post("record a wire payment", "invoices/{invoice}/act/record-payment", Map.of("amount", "1.00", "reference", "forged"), READ_ONLY,
                    "invoice.wire_payment_recorded"),
            new Post("retry a charge", "invoices/{invoice}/act/retry", Map.of(), READ_ONLY, "invoice.charge_retried"),
            new Post("issue a credit note", "invoices/{invoice}/act/credit", Map.of("amount", "1.00"), READ_ONLY, "invoice.credit_note_issued"),
            new Post("mark an invoice uncollectible", "invoices/{invoice}/act/uncollectible", Map.of(), READ_ONLY, "invoice.marked_uncollectible"),
            new Post("void an invoice", "invoices/{invoice}/act/void", Map.of(), READ_ONLY),
            new Post("edit company details of an account", "accounts/{account}/act/company", Map.of("name", "Forged", "email", "x@evil.example"), READ_ONLY,
                    "account.company_details_changed"),
            new Post("pause dunning until a date", "accounts/{account}/act/pause-dunning", Map.of("resume_on", "{resume_on}"), READ_ONLY,
                    "account.dunning_paused"),
            new Post("give free periods", "accounts/{account}/subscriptions/{subscription}/act/free", Map.of("periods", "2", "reason", "forged"),
                    READ_ONLY, "subscription.free_periods_given"),
            new Post("change a subscription's plan", "accounts/{account}/subscriptions/{subscription}/act/plan", Map.of("plan", "{pro}"), READ_ONLY,
                    "subscription.plan_changed"),
            new Post("change a subscription's seats", "accounts/{account}/subscriptions/{subscription}/act/seats", Map.of("seats", "9"), READ_ONLY),
            new Post("view the customer's portal", "accounts/{account}/act/view-portal", Map.of(), READ_ONLY),
            new Post("cancel a subscription", "accounts/{account}/subscriptions/{subscription}/act/cancel", Map.of(), READ_ONLY,
                    "subscription.cancel_scheduled"));

    static final List<Get> PAGES = List.of(
            new Get("the catalog", "catalog", Set.of()),
            new Get("a plan", "catalog/plans/{plan}", Set.of()),
            new Get("a dunning policy", "catalog/policies/hosting_default", Set.of()),
            new Get("the new plan form", "catalog/plans/new?type=seats", BOTH),
            new Get("the new coupon form", "catalog/coupons/new", BOTH),
            new Get("the dunning policy editor", "catalog/policies/new", BOTH),
            new Get("settings", "settings", BOTH),
            new Get("API keys", "settings/api-keys", BOTH),
            new Get("webhooks", "settings/webhooks", BOTH),
            new Get("the revoke key confirmation", "settings/api-keys/{key}/revoke", BOTH),
            new Get("the delete endpoint confirmation", "settings/webhooks/{webhook}/delete", BOTH),
            new Get("company settings", "settings/company", BOTH),
            new Get("email settings", "settings/email", BOTH),
            new Get("staff", "settings/staff", BOTH),
            new Get("the audit log", "audit", BOTH),
            new Get("the test clock", "test-clock", BOTH),
            new Get("an invoice", "invoices/{invoice}", Set.of()),
            new Get("the void confirmation", "invoices/{invoice}/act/void", READ_ONLY),
            new Get("the wire payment form", "invoices/{invoice}/act/record-payment", READ_ONLY),
            new Get("an account's company form", "accounts/{account}/act/company", READ_ONLY),
            new Get("an account", "accounts/{account}", Set.of()),
            new Get("the pause dunning form", "accounts/{account}/act/pause-dunning", READ_ONLY),
            new Get("the view-the-portal confirmation", "accounts/{account}/act/view-portal", READ_ONLY),
            new Get("the free periods form", "accounts/{account}/subscriptions/{subscription}/act/free", READ_ONLY),
            new Get("the change plan form", "accounts/{account}/subscriptions/{subscription}/act/plan", READ_ONLY),
            new Get("the cancel confirmation", "accounts/{account}/subscriptions/{subscription}/act/cancel", READ_ONLY));

    /** A test seller: a plan, an account with a subscription and its open invoice, an API key, a webhook endpoint. */
    private Seller seller() {
        Browser.Console console = browser().newConsole();
        ApiClient api = browser().server.anonymous().withKey(console.secretKey());
        String plan = Fixtures.flatPlan(api, "usd");
        ApiClient.Res pro = api.post("/v1/plans", "{\"name\":\"Hosting Pro\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":4900}");
        assertThat(pro.status()).as(pro.text()).isEqualTo(200);
        String account = api.newAccount("Northwind Studio", "usd", "UTC");
        // A card that declines: the first invoice stays open, with every invoice action offered.
        Fixtures.attachCard(api, account, "tok_chargeDeclinedInsufficientFunds");
        ApiClient.Res sub = api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}");
        assertThat(sub.status()).as(sub.text()).isEqualTo(200);
        ApiClient.Res invoices = api.get("/v1/accounts/" + account + "/invoices");
        assertThat(invoices.json().at("/data/0/status").asText()).isEqualTo("open");
        ApiClient.Res hook = api.post("/v1/webhook_endpoints", "{\"url\":\"http://127.0.0.1:9/hooks/tollgate\",\"enabled_events\":[\"*\"]}");
        assertThat(hook.status()).as(hook.text()).isEqualTo(200);
        String owner = browser().server.app.staff.list(console.tenant()).get(0).id();
        String resumeOn = java.time.LocalDate.ofInstant(browser().server.app.testClock.now(console.tenant()), java.time.ZoneOffset.UTC).plusDays(10).toString();
        return new Seller(console, api, Map.of("plan", plan, "pro", pro.str("id"), "account", account, "subscription", sub.str("id"),
                "invoice", invoices.json().at("/data/0/id").asText(), "key", browser().server.app.secretKeys.list(console.tenant()).get(0).id(),
                "webhook", hook.str("id"), "owner", owner, "resume_on", resumeOn));
    }

    /** Everything a forged request could have changed, read through the API and the services. */
    private String state(Seller s) {
        ApiClient api = s.api();
        return String.join("\n", api.get("/v1/plans?limit=100").text(), api.get("/v1/plans/" + s.ids().get("plan")).text(),
                api.get("/v1/coupons").text(), api.get("/v1/dunning_policies?limit=100").text(), api.get("/v1/tenant").text(),
                api.get("/v1/webhook_endpoints").text(), api.get("/v1/invoices/" + s.ids().get("invoice")).text(),
                api.get("/v1/accounts/" + s.ids().get("account")).text(), api.get("/v1/subscriptions/" + s.ids().get("subscription")).text(),
                // A key's last use moves with these very reads: its id and name say whether it was made or revoked.
                String.valueOf(browser().server.app.secretKeys.list(s.console().tenant()).stream().map(k -> k.id() + " " + k.name()).toList()),
                String.valueOf(browser().server.app.staff.list(s.console().tenant())),
                String.valueOf(browser().server.app.staffInvitations.open(s.console().tenant())),
                String.valueOf(browser().server.app.testClock.now(s.console().tenant())));
    }

    @ParameterizedTest
    @EnumSource(names = {"READ_ONLY", "SUPPORT"})
    void aRoleSeesNoWayToDoWhatItMustNotAndItsForgedRequestsAreRefused(StaffRole role) {
        Seller s = seller();
        String email = browser().addStaff(s.console(), role, role.label() + " Person");
        Page page = browser().page();
        browser().signIn(page, s.console(), email);

        // The menu: no Settings, no Audit log; the catalog is there, to read.
        assertThat(page.locator(".nav a").allTextContents()).containsExactly("Home", "Accounts", "Invoices", "Dunning", "Catalog");
        assertThat(page.locator(".mode-strip a:has-text('Test clock')").count()).isZero();

        for (Get g : PAGES) {
            int status = page.navigate(s.console().url(s.path(g.path()))).status();
            assertThat(status).as(role + " opens " + g.what()).isEqualTo(g.refusedTo().contains(role) ? 403 : 200);
        }
        // The buttons of what the role may not do are not drawn.
        page.navigate(s.console().url("catalog"));
        assertThat(page.locator("main a.button, main button").allTextContents()).as(role + " on the catalog").isEmpty();
        assertThat(page.textContent(".page-lead")).contains("owners and admins change it");
        if (role == StaffRole.READ_ONLY) {
            browser().assertAccessible(page);
            browser().screenshots(page, "console-catalog-read-only");
        }
        page.navigate(s.console().url(s.path("catalog/plans/{plan}")));
        assertThat(page.locator("#f-metadata, button:has-text('Save metadata')").count()).isZero();
        page.navigate(s.console().url("catalog/policies/hosting_default"));
        assertThat(page.locator("main button, main a.button").count()).isZero();
        page.navigate(s.console().url(s.path("invoices/{invoice}")));
        assertThat(page.locator(".page-actions a[href*='/act/']").count()).as(role + " on an invoice").isEqualTo(role == StaffRole.READ_ONLY ? 0 : 5);
        page.navigate(s.console().url(s.path("accounts/{account}")));
        assertThat(page.locator(".page-actions a").allTextContents()).as(role + " on an account").isEqualTo(role == StaffRole.READ_ONLY
                ? List.of() : List.of("Edit company details", "View the portal", "Pause dunning"));
        assertThat(page.locator("#subs-title + table a").allTextContents()).as(role + " on a subscription").isEqualTo(role == StaffRole.READ_ONLY
                ? List.of() : List.of("Cancel at period end", "Change plan", "Give free periods"));

        // Forged requests: the member's own session and a valid CSRF token; only the role stands in the way.
        String csrf = page.getAttribute("body", "hx-headers").replaceAll(".*\"X-CSRF-Token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        String before = state(s);
        int entries = browser().server.app.audit.search(s.console().tenant(), Audit.Query.all(), 500).size();
        int refused = 0;
        for (Post p : POSTS) {
            if (!p.refusedTo().contains(role)) continue;
            FormData form = FormData.create().set("_csrf", csrf).set("_once", "forged-" + role + "-" + refused);
            p.form().forEach((k, v) -> form.set(k, s.path(v)));
            APIResponse r = page.request().post(s.console().url(s.path(p.path())), RequestOptions.create().setMaxRedirects(0).setForm(form));
            assertThat(r.status()).as(role + " forges: " + p.what()).isEqualTo(403);
            assertThat(r.text()).as(role + " forges: " + p.what()).contains("Not allowed");
            refused++;
        }
        assertThat(refused).isEqualTo(role == StaffRole.READ_ONLY ? POSTS.size() : 18);
        assertThat(state(s)).as("nothing changed").isEqualTo(before);
        assertThat(browser().server.app.audit.search(s.console().tenant(), Audit.Query.all(), 500)).as("nothing audited").hasSize(entries);

        // What the role may do passes the role check; the rows naming an audit action take effect, each audited once.
        int allowed = 0;
        for (Post p : POSTS) {
            if (p.refusedTo().contains(role)) continue;
            FormData form = FormData.create().set("_csrf", csrf).set("_once", "allowed-" + role + "-" + allowed++);
            p.form().forEach((k, v) -> form.set(k, s.path(v)));
            APIResponse r = page.request().post(s.console().url(s.path(p.path())), RequestOptions.create().setMaxRedirects(0).setForm(form));
            assertThat(r.status()).as(role + " does: " + p.what()).isNotEqualTo(403).isLessThan(500);
            if (p.doneAs() == null) continue;
            assertThat(r.status()).as(role + " does: " + p.what() + "\n" + r.text()).isEqualTo(303);
            assertThat(browser().server.app.audit.search(s.console().tenant(), Audit.Query.all(), 500))
                    .as(role + " does: " + p.what()).filteredOn(e -> e.action().equals(p.doneAs())).hasSize(1);
        }
        assertThat(allowed).isEqualTo(role == StaffRole.READ_ONLY ? 0 : POSTS.size() - 18);
        if (role == StaffRole.SUPPORT) {
            var sub = browser().server.app.subscriptions.get(s.console().tenant(), s.ids().get("subscription"));
            assertThat(sub.plan()).isEqualTo(s.ids().get("pro"));
            assertThat(sub.billing().freePeriods()).isEqualTo(2);
            assertThat(sub.cancelAtPeriodEnd()).isTrue();
            assertThat(browser().server.app.dunning.pauseOf(s.console().tenant(), s.ids().get("account"))).isPresent();
        }
    }
}

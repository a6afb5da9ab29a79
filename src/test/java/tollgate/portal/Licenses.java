package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tollgate.catalog.PlanDraft;
import tollgate.licensing.License;
import tollgate.licensing.LicenseStatus;
import tollgate.testing.Browser;

/** The dashboard and the Licenses pages in Chromium (decision 034): issue a bundle, copy, assign, revoke, refill. */
abstract class Licenses {
    /** The browser, against the server of the database the subclass names. */
    abstract Browser browser();

    static final String PASSWORD = Browser.PASSWORD;

    /** A signed-up agency of a portal: its account and a license plan of the tenant in the account's currency. */
    record Agency(Browser.Portal portal, String account, String plan) {}

    Agency agency(Browser.Portal portal, Page page, String company, String email, boolean card) {
        page.setDefaultTimeout(30_000);
        page.onConsoleMessage(m -> System.out.println("console: " + m.text()));
        page.onPageError(m -> System.out.println("page error: " + m));
        var app = browser().server.app;
        String account = browser().signedUpCustomer(page, portal, company, email).account();
        String currency = app.accounts.get(portal.tenant(), account).currency();
        String plan = app.plans.list(portal.tenant(), new tollgate.core.Paging(100, null)).data().stream()
                .filter(p -> p.name().equals("Jetpack Security")).map(p -> p.id()).findFirst()
                .orElseGet(() -> app.plans.create(portal.tenant(), new PlanDraft("Jetpack Security", "license", currency, 1900L,
                        null, null, null, null, null, null, null)).id());
        if (card) app.paymentMethods.attach(portal.tenant(), account, "tok_visa", false);
        return new Agency(portal, account, plan);
    }

    private List<License> licenses(Agency a, LicenseStatus status) {
        return browser().server.app.licensing.accountPage(a.portal().tenant(), a.account(), status, null, 1, 100).licenses();
    }

    @Test
    void issueABundleCopyAKeyAssignItRevokeOneAndTheBundleRefills() {
        Browser.Portal portal = browser().newPortal("Jetpack Agencies");
        Page page = browser().page();
        browser().context().grantPermissions(List.of("clipboard-read", "clipboard-write"));
        Agency a = agency(portal, page, "Northwind Studio", "ada@northwind.example", true);

        page.navigate(portal.url("licenses"));
        assertThat(page.textContent(".empty")).contains("You have not issued a license yet");
        page.click("a:has-text('Issue licenses')");
        page.selectOption("#f-plan", a.plan());
        page.fill("#f-quantity", "3");
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-license-issue");
        page.click("button:has-text('Issue licenses')");
        page.waitForURL("**/licenses/new/bndl_*");
        assertThat(page.textContent("h1")).isEqualTo("Your 3 new licenses are ready");
        List<String> keys = page.locator(".key-full").allTextContents();
        assertThat(keys).hasSize(3).allMatch(k -> k.matches("[0-9A-Z]{5}(-[0-9A-Z]{5}){4}"));
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-license-keys");

        // Copy license puts the whole key on the clipboard.
        page.locator("button[data-copy]").first().click();
        page.waitForSelector("button[data-copied]");
        assertThat(page.evaluate("navigator.clipboard.readText()")).isEqualTo(keys.get(0));

        // Assign now: a dialog with the site field focused; Enter confirms.
        page.locator("a:has-text('Assign now')").first().click();
        page.waitForSelector("#confirm-dialog[open]");
        assertThat(page.evaluate("document.activeElement.id")).isEqualTo("f-site_url");
        assertThat(page.textContent("#confirm-dialog")).contains("You are billed for this license whether it is assigned or not");
        page.keyboard().type("Shop.Northwind.example/");
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-license-confirm");
        page.keyboard().press("Enter");
        page.waitForURL(portal.url("licenses"));
        assertThat(page.textContent(".flash")).contains("is assigned to https://shop.northwind.example");
        assertThat(licenses(a, LicenseStatus.ASSIGNED)).extracting(License::key).containsExactly(keys.get(0));

        // Revoke the assigned one: the bundle refills with a new unassigned license.
        page.navigate(portal.url("licenses?tab=assigned"));
        page.click("a[data-confirm]:has-text('Revoke')");
        page.waitForSelector("#confirm-dialog[open]");
        assertThat(page.textContent("#confirm-dialog")).contains("a new unassigned license replaces it");
        page.click("#confirm-dialog button:has-text('Revoke license')");
        page.waitForURL(portal.url("licenses?tab=revoked"));
        assertThat(page.textContent(".flash")).contains("Its bundle refilled");
        assertThat(page.locator("tbody tr").count()).isEqualTo(1);
        assertThat(page.textContent("tbody")).contains(keys.get(0).substring(24)).contains("Revoked");
        List<License> unassigned = licenses(a, LicenseStatus.UNASSIGNED);
        assertThat(unassigned).hasSize(3);
        assertThat(unassigned).extracting(License::key).contains(keys.get(1), keys.get(2)).doesNotContain(keys.get(0));
        assertThat(licenses(a, LicenseStatus.REVOKED)).extracting(License::key).containsExactly(keys.get(0));

        // One more assigned, for the tabs; then the tabs and a search.
        browser().server.app.licensing.assign(portal.tenant(), unassigned.get(0).id(), "https://blog.northwind.example");
        Map<String, Integer> rows = Map.of("all", 4, "assigned", 1, "unassigned", 2, "revoked", 1);
        for (var tab : rows.entrySet()) {
            page.navigate(portal.url("licenses?tab=" + tab.getKey()));
            assertThat(page.locator("tbody tr").count()).as(tab.getKey()).isEqualTo(tab.getValue());
            assertThat(page.textContent(".tabs a[aria-current=page]")).contains(Integer.toString(tab.getValue()));
            browser().assertAccessible(page);
            // Every column, the actions too, inside the card at 1280 px: the table does not scroll sideways (054).
            assertThat((Boolean) page.evaluate("(() => { const w = document.querySelector('.table-wrap'); return w.scrollWidth <= w.clientWidth; })()"))
                    .as("the %s table fits its card", tab.getKey()).isTrue();
            browser().screenshots(page, "portal-licenses-" + tab.getKey());
        }
        page.navigate(portal.url("licenses"));
        page.fill("#q", keys.get(2).substring(24).toLowerCase());
        page.keyboard().press("Enter");
        page.waitForURL("**q=*");
        assertThat(page.locator("tbody tr").count()).isEqualTo(1);
        assertThat(page.textContent("tbody")).contains(keys.get(2).substring(24));
        page.fill("#q", "blog.north");
        page.keyboard().press("Enter");
        page.waitForURL("**q=blog.north");
        assertThat(page.textContent("tbody")).contains("https://blog.northwind.example");
        assertThat(page.locator("tbody tr").count()).isEqualTo(1);

        page.navigate(portal.url("dashboard"));
        assertThat(page.textContent("h1")).isEqualTo("Northwind Studio");
        assertThat(page.textContent("tbody")).contains("https://blog.northwind.example").contains("Jetpack Security").contains("Assigned");
        assertThat(page.textContent(".stats")).contains("1").contains("Sites licensed");
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-dashboard-sites");
    }

    /**
     * Decision 047: the dashboard says when each site last checked its key ("never", "less than an hour ago", "2 hours
     * ago" on the tenant's clock, the exact time in a title), from what the worker's flush wrote; and the menu of seven
     * entries is one line at 1280 px (a row of its own at 390 px, inside the screen).
     */
    @Test
    void theDashboardSaysWhenEachSiteLastCheckedItsKeyAndTheMenuIsOneLine() {
        Browser.Portal portal = browser().newPortal("Jetpack Agencies");
        Page page = browser().page();
        Agency a = agency(portal, page, "Contoso Sites", "kim@contoso.example", true);
        var app = browser().server.app;
        List<License> two = app.licensing.issue(portal.tenant(), a.account(), a.plan(), 1);
        License checked = app.licensing.assign(portal.tenant(), two.get(0).id(), "https://shop.contoso.example");
        License quiet = app.licensing.assign(portal.tenant(), app.licensing.issue(portal.tenant(), a.account(), a.plan(), 1).get(0).id(),
                "https://blog.contoso.example");
        String key = app.licensing.accountPage(portal.tenant(), a.account(), LicenseStatus.ASSIGNED, null, 1, 10).licenses().stream()
                .filter(l -> l.id().equals(checked.id())).findFirst().orElseThrow().key();
        assertThat(app.licensing.validate(key, "https://shop.contoso.example").valid()).isTrue();
        app.licensing.flushSiteChecks();
        java.time.Instant at = app.testClock.now(portal.tenant());
        java.time.ZoneId zone = java.time.ZoneId.of(app.accounts.get(portal.tenant(), a.account()).timezone());
        String exact = java.time.format.DateTimeFormatter.ofPattern("MMM d, yyyy, HH:mm zzz", java.util.Locale.ENGLISH).format(at.atZone(zone));

        page.navigate(portal.url("dashboard"));
        assertThat(page.textContent("thead")).contains("Last check");
        assertThat(page.textContent("#row-" + checked.id() + " .last-check")).isEqualTo("less than an hour ago");
        assertThat(page.getAttribute("#row-" + checked.id() + " .last-check", "title")).isEqualTo(exact);
        assertThat(page.textContent("#row-" + quiet.id() + " .last-check")).isEqualTo("never");
        // The menu: seven entries on one line at 1280 px, on a row of its own under the brand and the account (decision
        // 054), whose name is shown whole.
        Object tops = page.evaluate("[...document.querySelectorAll('.nav li')].map(li => Math.round(li.getBoundingClientRect().top))");
        assertThat((List<?>) tops).hasSize(7);
        assertThat(new java.util.HashSet<>((List<?>) tops)).as("the tops of the menu entries").hasSize(1);
        assertThat((Boolean) page.evaluate("document.querySelector('.nav').getBoundingClientRect().top >= "
                + "document.querySelector('.brand').getBoundingClientRect().bottom")).as("the menu under the brand").isTrue();
        String wholeName = "(() => { const n = document.querySelector('.account-name'); return n.scrollWidth <= n.clientWidth; })()";
        assertThat((Boolean) page.evaluate(wholeName)).as("the account name not cut at 1280 px").isTrue();
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-dashboard-last-check");
        page.setViewportSize(390, 844);
        assertThat(page.evaluate("document.documentElement.scrollWidth <= 390")).isEqualTo(true);
        assertThat((Boolean) page.evaluate(wholeName)).as("the account name not cut at 390 px").isTrue();
        page.setViewportSize(1280, 900);

        // Two hours later on the tenant's clock, the same check is "2 hours ago".
        app.testClock.advance(portal.tenant(), at.plusSeconds(2 * 3600 + 60));
        page.navigate(portal.url("dashboard"));
        assertThat(page.textContent("#row-" + checked.id() + " .last-check")).isEqualTo("2 hours ago");
        assertThat(page.getAttribute("#row-" + checked.id() + " .last-check", "title")).isEqualTo(exact);
    }

    /** A page past the last (an old link, a typed ?page=) says it is empty, not that nothing was issued, and leads back. */
    @Test
    void aPagePastTheLastSaysSoAndLeadsBackToTheFirst() {
        Browser.Portal portal = browser().newPortal();
        Page page = browser().page();
        Agency a = agency(portal, page, "Paged Co", "pages@paged.example", true);
        License assigned = browser().server.app.licensing.issue(portal.tenant(), a.account(), a.plan(), 1).get(0);
        browser().server.app.licensing.assign(portal.tenant(), assigned.id(), "https://paged.example");
        browser().server.app.licensing.issue(portal.tenant(), a.account(), a.plan(), 1);

        page.navigate(portal.url("licenses?page=2"));
        assertThat(page.textContent(".empty")).isEqualTo("There is nothing on page 2. Go to the first page");
        assertThat(page.textContent("main")).doesNotContain("You have not issued a license yet");
        browser().assertAccessible(page);
        page.click(".empty a:has-text('Go to the first page')");
        page.waitForURL(portal.url("licenses?tab=all"));
        assertThat(page.locator("table.table-licenses tbody tr").count()).isEqualTo(2);

        // A tab and a search keep theirs on the way back.
        page.navigate(portal.url("licenses?tab=unassigned&q=nothing-here&page=3"));
        assertThat(page.textContent(".empty")).isEqualTo("There is nothing on page 3. Go to the first page");
        assertThat(page.getAttribute(".empty a", "href")).isEqualTo("/portal/" + portal.slug() + "/licenses?tab=unassigned&q=nothing-here");

        // The dashboard's list of sites likewise.
        page.navigate(portal.url("dashboard?page=2"));
        assertThat(page.textContent(".empty")).isEqualTo("There is nothing on page 2. Go to the first page");
        page.click(".empty a");
        page.waitForURL(portal.url("dashboard"));
        assertThat(page.textContent("table")).contains("https://paged.example");

        // With nothing issued, page 1 still says so.
        page.navigate(portal.url("licenses?tab=revoked"));
        assertThat(page.textContent(".empty")).isEqualTo("No license has been revoked.");
    }

    @Test
    void withoutACardTheAddCardStepComesFirstAndDunningSaysWhyItBlocks() {
        Browser.Portal portal = browser().newPortal();
        Page page = browser().page();
        Agency a = agency(portal, page, "Cardless Co", "no-card@cardless.example", false);
        page.navigate(portal.url("licenses/issue"));
        assertThat(page.textContent(".notice")).contains("Step 1: add a card").contains("billed monthly to the card on file");
        assertThat(page.getAttribute(".notice a", "href")).isEqualTo("/portal/" + portal.slug() + "/payment-methods/new?return=licenses/issue");
        assertThat(page.isDisabled("button:has-text('Issue licenses')")).isTrue();
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-license-issue-no-card");

        browser().server.app.paymentMethods.attach(portal.tenant(), a.account(), "tok_visa", false);
        browser().server.app.accounts.setLicensesBlocked(portal.tenant(), a.account(), true);
        page.navigate(portal.url("licenses/issue"));
        assertThat(page.textContent(".notice")).contains("New licenses are blocked").contains("past due");
        assertThat(page.getAttribute(".notice a", "href")).isEqualTo("/portal/" + portal.slug() + "/invoices");
        assertThat(licenses(a, null)).isEmpty();
    }

    @Test
    void anotherAccountsOrTenantsLicenseIsTheNotFoundPage() {
        Browser.Portal portal = browser().newPortal();
        Page page = browser().page();
        Agency owner = agency(portal, page, "Owner Ltd", "owner@owner.example", true);
        License theirs = browser().server.app.licensing.issue(portal.tenant(), owner.account(), owner.plan(), 1).get(0);

        Page other = browser().secondPage();
        agency(portal, other, "Other Ltd", "other@other.example", true);
        for (String path : List.of("licenses/" + theirs.id() + "/assign", "licenses/" + theirs.id() + "/unassign",
                "licenses/" + theirs.id() + "/revoke", "licenses/new/" + theirs.id(), "licenses/lic_nonexistent/revoke")) {
            assertThat(other.navigate(portal.url(path)).status()).as(path).isEqualTo(404);
            assertThat(other.textContent("h1")).isEqualTo("Page not found");
            assertThat(other.content()).doesNotContain(theirs.key());
        }
        // A forged POST with the other user's valid CSRF token changes nothing.
        other.navigate(portal.url("licenses"));
        String csrf = other.getAttribute("input[name=_csrf]", "value");
        var answer = other.request().post(portal.url("licenses/" + theirs.id() + "/revoke"),
                RequestOptions.create().setForm(FormData.create().set("_csrf", csrf)).setMaxRedirects(0));
        assertThat(answer.status()).isEqualTo(404);

        Browser.Portal second = browser().newPortal("Second Tenant");
        Page third = browser().secondPage();
        agency(second, third, "Third Ltd", "third@third.example", true);
        assertThat(third.navigate(second.url("licenses/" + theirs.id() + "/revoke")).status()).isEqualTo(404);
        assertThat(browser().server.app.licensing.get(portal.tenant(), theirs.id()).status()).isEqualTo(LicenseStatus.UNASSIGNED);
        other.context().close();
        third.context().close();
    }

    @Test
    void aBadSiteUrlKeepsWhatWasTypedWithTheMessageAndMarkupIsEscaped() {
        Browser.Portal portal = browser().newPortal();
        Page page = browser().page();
        AtomicBoolean alerted = new AtomicBoolean();
        page.onDialog(d -> {
            alerted.set(true);
            d.dismiss();
        });
        Agency a = agency(portal, page, "Typo Agency", "typo@typo.example", true);
        License l = browser().server.app.licensing.issue(portal.tenant(), a.account(), a.plan(), 1).get(0);
        page.navigate(portal.url("licenses/" + l.id() + "/assign"));
        page.fill("#f-site_url", "ftp://files.example");
        var response = page.waitForNavigation(() -> page.click("button:has-text('Assign license')"));
        assertThat(response.status()).isEqualTo(422);
        assertThat(page.inputValue("#f-site_url")).isEqualTo("ftp://files.example");
        assertThat(page.textContent("#f-site_url-error")).isNotBlank();
        assertThat(page.getAttribute("#f-site_url", "aria-invalid")).isEqualTo("true");
        browser().assertAccessible(page);

        String markup = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        page.fill("#f-site_url", markup);
        response = page.waitForNavigation(() -> page.click("button:has-text('Assign license')"));
        assertThat(response.status()).isEqualTo(422);
        assertThat(page.inputValue("#f-site_url")).isEqualTo(markup);
        assertThat(page.locator("main img").count()).isZero();
        assertThat(alerted).isFalse();
        page.navigate(portal.url("licenses?q=" + java.net.URLEncoder.encode(markup, java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(page.inputValue("#q")).isEqualTo(markup);
        assertThat(page.textContent(".empty")).contains(markup);
        assertThat(alerted).isFalse();
        assertThat(browser().server.app.licensing.get(portal.tenant(), l.id()).status()).isEqualTo(LicenseStatus.UNASSIGNED);
    }

    @Test
    void theConfirmationDialogWorksByKeyboardAndSubmitsTwiceHaveOneEffect() {
        Browser.Portal portal = browser().newPortal();
        Page page = browser().page();
        Agency a = agency(portal, page, "Keys Only", "keys@keys.example", true);
        var app = browser().server.app;
        String bundleLicense = app.licensing.issueBundle(portal.tenant(), a.account(), a.plan(), 2).licenses().get(0).id();
        app.licensing.assign(portal.tenant(), bundleLicense, "https://kbd.example");

        page.navigate(portal.url("licenses?tab=assigned"));
        page.focus("a[data-confirm]:has-text('Unassign')");
        page.keyboard().press("Enter");
        page.waitForSelector("#confirm-dialog[open]");
        assertThat(page.evaluate("document.getElementById('confirm-dialog').contains(document.activeElement)")).isEqualTo(true);
        assertThat(page.textContent("#confirm-dialog")).contains("stays active and billed");
        page.keyboard().press("Escape");
        assertThat(page.evaluate("document.getElementById('confirm-dialog').open")).isEqualTo(false);
        assertThat(page.evaluate("document.activeElement.textContent")).asString().contains("Unassign");
        page.keyboard().press("Enter");
        page.waitForSelector("#confirm-dialog[open]");
        page.keyboard().press("Enter");
        page.waitForURL(portal.url("licenses"));
        assertThat(app.licensing.get(portal.tenant(), bundleLicense).status()).isEqualTo(LicenseStatus.UNASSIGNED);

        // The same revoke sent twice: one revocation, one refill.
        String csrf = page.getAttribute("input[name=_csrf]", "value");
        for (int i = 0; i < 2; i++) {
            var answer = page.request().post(portal.url("licenses/" + bundleLicense + "/revoke"),
                    RequestOptions.create().setForm(FormData.create().set("_csrf", csrf)).setMaxRedirects(0));
            assertThat(answer.status()).isEqualTo(303);
        }
        assertThat(licenses(a, LicenseStatus.REVOKED)).hasSize(1);
        assertThat(licenses(a, LicenseStatus.UNASSIGNED)).hasSize(2);

        // The same issue form sent twice: one bundle.
        page.navigate(portal.url("licenses/issue"));
        String token = page.getAttribute("input[name=token]", "value");
        String first = null;
        for (int i = 0; i < 2; i++) {
            var answer = page.request().post(portal.url("licenses/issue"), RequestOptions.create().setForm(FormData.create()
                    .set("_csrf", csrf).set("plan", a.plan()).set("quantity", "5").set("token", token)).setMaxRedirects(0));
            assertThat(answer.status()).isEqualTo(303);
            if (first == null) first = answer.headers().get("location");
            else assertThat(answer.headers().get("location")).isEqualTo(first);
        }
        assertThat(licenses(a, null)).hasSize(3 + 5);
    }
}

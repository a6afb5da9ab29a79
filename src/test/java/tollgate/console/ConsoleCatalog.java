package tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import tollgate.audit.Audit;
import tollgate.audit.AuditEntry;
import tollgate.testing.ApiClient;
import tollgate.testing.Browser;

/**
 * The console's catalog and dunning policies (issue 14 point 5, decision 048) in Chromium: an owner creates a plan of
 * each type through forms that the API's own rules check (their refusals beside the field, what was typed kept), edits
 * the one thing of a plan that may change (its metadata), creates a coupon once even when the form is sent twice, and
 * writes a dunning policy while its timeline is previewed in words; every change is in the audit log.
 */
abstract class ConsoleCatalog {
    /** The browser, against the server of the database the subclass names. */
    abstract Browser browser();


    /** The catalog's entries in the audit log: the member's sign-in (decision 063) aside. */
    private List<AuditEntry> audit(Browser.Console c) {
        return browser().server.app.audit.search(c.tenant(), Audit.Query.all(), 200).stream()
                .filter(e -> !e.action().equals("staff.signed_in")).toList();
    }

    private static void fill(Page page, String... pairs) {
        for (int i = 0; i < pairs.length; i += 2) page.fill("#f-" + pairs[i], pairs[i + 1]);
    }

    @Test
    void anOwnerCreatesAPlanOfEveryTypeWithTheApisRulesBesideTheFields() {
        Browser.Console console = browser().newConsole();
        ApiClient api = browser().server.anonymous().withKey(console.secretKey());
        Page page = browser().page();
        browser().signIn(page, console, console.ownerEmail());
        page.click(".nav a:has-text('Catalog')");
        page.waitForURL(console.url("catalog"));
        assertThat(page.textContent("#plans-title ~ .empty, .card:has(#plans-title) .empty")).isEqualTo("No plans yet.");

        // License: an amount with more decimals than the currency has is refused, never rounded; the rest is kept.
        page.click("a:has-text('New plan')");
        assertThat(page.textContent("h1")).isEqualTo("A license plan");
        fill(page, "name", "Site license", "currency", "usd", "amount", "9.005");
        page.click("button:has-text('Create plan')");
        assertThat(page.textContent("#f-amount-error")).isEqualTo("Enter an amount in USD with at most 2 decimals, like 9.00.");
        assertThat(page.inputValue("#f-name")).isEqualTo("Site license");
        browser().assertAccessible(page);
        // A decimal comma is refused, not read as a thousands separator ("9,00" once made a $900.00 plan); nothing is made.
        fill(page, "amount", "9,00");
        page.click("button:has-text('Create plan')");
        assertThat(page.textContent("#f-amount-error"))
                .isEqualTo("“Price per license a month”: use a point for decimals, like 9.00; a comma only separates thousands, as in 1,000.50.");
        assertThat(page.inputValue("#f-amount")).isEqualTo("9,00");
        assertThat(page.inputValue("#f-name")).isEqualTo("Site license");
        assertThat(api.get("/v1/plans").json().at("/data").size()).isZero();
        browser().assertAccessible(page);
        // A NUL typed into any field is refused beside it, as the API's body refuses one (PostgreSQL cannot store it).
        fill(page, "name", "Site\u0000license", "amount", "9");
        page.click("button:has-text('Create plan')");
        assertThat(page.textContent("#f-name-error")).isEqualTo("This field holds a NUL character, which no text may hold: remove it.");
        assertThat(api.get("/v1/plans").json().at("/data").size()).isZero();
        fill(page, "name", "Site license", "amount", "9");
        page.click("button:has-text('Create plan')");
        assertThat(page.textContent("h1")).isEqualTo("Site license");
        assertThat(page.textContent(".flash")).isEqualTo("Plan “Site license” created: $9.00 per license a month.");
        String license = page.url().substring(page.url().lastIndexOf('/') + 1);
        assertThat(api.get("/v1/plans/" + license).json().at("/amount").asLong()).isEqualTo(900);

        // Seats: the rules' refusal of a missing field, in the form's words, beside it.
        page.navigate(console.url("catalog/plans/new?type=seats"));
        fill(page, "name", "Team", "currency", "EUR", "amount", "49", "seat_amount", "8.00");
        page.selectOption("#f-interval", "year");
        page.click("button:has-text('Create plan')");
        assertThat(page.textContent("#f-included_seats-error")).isEqualTo("“Seats included” is required.");
        assertThat(page.inputValue("#f-seat_amount")).isEqualTo("8.00");
        assertThat(page.inputValue("#f-interval")).isEqualTo("year");
        fill(page, "included_seats", "5");
        page.click("button:has-text('Create plan')");
        assertThat(page.textContent(".facts")).contains("€49.00 a year with 5 seats, then €8.00 a seat");

        // Flat: the trial's and the price's caps are PlanRules', said in the console's words.
        page.navigate(console.url("catalog/plans/new?type=flat"));
        fill(page, "name", "Hosting", "currency", "usd", "amount", "1000000", "trial_days", "800");
        page.click("button:has-text('Create plan')");
        assertThat(page.textContent("#f-amount-error")).isEqualTo("At most $999,999.99.");
        fill(page, "amount", "29");
        page.click("button:has-text('Create plan')");
        assertThat(page.textContent("#f-trial_days-error")).isEqualTo("“Trial days” must be between 0 and 730.");
        fill(page, "trial_days", "14");
        page.click("button:has-text('Create plan')");
        assertThat(page.textContent(".facts")).contains("$29.00 a month", "14 days");

        // Usage in graduated tiers: both a unit price and tiers is the API's parameters_exclusive; a bound that goes back is
        // refused beside that tier's row.
        page.navigate(console.url("catalog/plans/new?type=usage"));
        fill(page, "name", "API calls", "currency", "usd", "unit_amount", "0.02", "tier_up_to_0", "1000", "tier_unit_amount_0", "0.10",
                "tier_up_to_1", "500", "tier_unit_amount_1", "0.05");
        page.click("button:has-text('Create plan')");
        assertThat(page.textContent("#f-tiers-error")).isEqualTo("Give either “Price per unit” or “Tiers”, not both.");
        fill(page, "unit_amount", "");
        page.click("button:has-text('Create plan')");
        assertThat(page.textContent("#f-tier_up_to_1-error")).isEqualTo("The last tier's “Up to” must be left empty (no upper bound).");
        page.click("button:has-text('Add a tier')");
        assertThat(page.locator(".tier-row").count()).isEqualTo(4);
        assertThat(page.inputValue("#f-tier_up_to_1")).isEqualTo("500");
        fill(page, "tier_unit_amount_2", "0.01", "tier_flat_amount_2", "5");
        page.click("button:has-text('Create plan')");
        assertThat(page.textContent("#f-tier_up_to_1-error")).isEqualTo("“Up to” must be greater than the previous tier's (1000).");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-catalog-plan-new");
        fill(page, "tier_up_to_1", "10000");
        page.click("button:has-text('Create plan')");
        assertThat(page.locator(".facts").nth(1).textContent()).contains("Units 1 to 1000", "$0.10 a unit", "Units 1001 to 10000",
                "Units 10001 and above", "$0.01 a unit + $5.00 once");
        String usage = page.url().substring(page.url().lastIndexOf('/') + 1);
        assertThat(api.get("/v1/plans/" + usage).json().at("/tiers/2/flat_amount").asLong()).isEqualTo(500);

        // The one thing a plan may change: its metadata (the API's merge; a line removed is a key removed).
        page.fill("#f-metadata", "crm_id = 42\nnot a pair");
        page.click("button:has-text('Save metadata')");
        assertThat(page.textContent("#f-metadata-error")).startsWith("Write each entry on its own line as key = value");
        assertThat(page.inputValue("#f-metadata")).isEqualTo("crm_id = 42\nnot a pair");
        page.fill("#f-metadata", "crm_id = 42\ntier = gold");
        page.click("button:has-text('Save metadata')");
        assertThat(page.textContent(".flash")).isEqualTo("Metadata saved.");
        page.fill("#f-metadata", "crm_id = 43");
        page.click("button:has-text('Save metadata')");
        assertThat(api.get("/v1/plans/" + usage).json().at("/metadata").toString()).isEqualTo("{\"crm_id\":\"43\"}");
        assertThat(page.textContent(".card:has(#terms-title)")).contains("These terms are fixed");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-catalog-plan");

        page.click("a:has-text('← Catalog')");
        assertThat(page.locator(".card:has(#plans-title) tbody th").allTextContents())
                .containsExactly("API calls", "Hosting", "Team", "Site license");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-catalog");
        assertThat(audit(console).stream().map(AuditEntry::action).toList()).containsExactlyInAnyOrder("plan.created", "plan.created",
                "plan.created", "plan.created", "plan.metadata_changed", "plan.metadata_changed");
        AuditEntry created = audit(console).stream().filter(e -> e.action().equals("plan.created") && e.objectId().equals(license))
                .findFirst().orElseThrow();
        assertThat(created.before()).isNull();
        assertThat(created.after()).contains("\"amount\":900", "\"type\":\"license\"", "\"currency\":\"usd\"");
    }

    @Test
    void aCouponIsCreatedOnceEvenWhenItsFormIsSentTwice() {
        Browser.Console console = browser().newConsole();
        ApiClient api = browser().server.anonymous().withKey(console.secretKey());
        Page page = browser().page();
        browser().signIn(page, console, console.ownerEmail());
        page.navigate(console.url("catalog"));
        page.click("a:has-text('New coupon')");
        fill(page, "name", "Launch offer", "percent_off", "20", "amount_off", "5");
        page.click("button:has-text('Create coupon')");
        // The amount is read in the coupon's currency, so with none the currency's own rule answers first.
        assertThat(page.textContent("#f-currency-error")).isEqualTo("“Currency” is required.");
        fill(page, "currency", "usd");
        page.click("button:has-text('Create coupon')");
        assertThat(page.textContent("#f-amount_off-error")).isEqualTo("Give either “Percent off” or “Amount off”, not both.");
        fill(page, "amount_off", "", "currency", "");
        page.selectOption("#f-duration", "repeating");
        page.click("button:has-text('Create coupon')");
        assertThat(page.textContent("#f-duration_in_months-error")).isEqualTo("“Months” is required.");
        fill(page, "duration_in_months", "3");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-catalog-coupon-new");
        String once = page.inputValue("input[name=_once]");
        String csrf = page.inputValue("input[name=_csrf]");
        page.click("button:has-text('Create coupon')");
        assertThat(page.textContent(".flash")).endsWith(": 20% off, 3 months.");
        // The same form again (a double click, or the browser resending it): the first answer, not a second coupon.
        APIResponse again = page.request().post(console.url("catalog/coupons"), RequestOptions.create().setMaxRedirects(0)
                .setForm(FormData.create().set("_csrf", csrf).set("_once", once).set("name", "Launch offer").set("percent_off", "20")
                        .set("amount_off", "").set("currency", "").set("duration", "repeating").set("duration_in_months", "3")));
        assertThat(again.status()).isEqualTo(303);
        assertThat(api.get("/v1/coupons").json().at("/data").size()).isEqualTo(1);
        assertThat(page.locator(".card:has(#coupons-title) tbody tr").count()).isEqualTo(1);
        assertThat(page.textContent(".card:has(#coupons-title) tbody")).contains("Launch offer", "20% off", "3 months");
        assertThat(audit(console).stream().filter(e -> e.action().equals("coupon.created")).count()).isEqualTo(1);
    }

    @Test
    void aCouponTakesAPercentageWithDecimalsWrittenWithAPoint() {
        Browser.Console console = browser().newConsole();
        ApiClient api = browser().server.anonymous().withKey(console.secretKey());
        Page page = browser().page();
        browser().signIn(page, console, console.ownerEmail());
        page.navigate(console.url("catalog"));
        page.click("a:has-text('New coupon')");
        page.selectOption("#f-duration", "forever");
        // Decision 089: a decimal comma is not guessed at (12,5 is not 125), more than two decimals are refused.
        fill(page, "percent_off", "12,5");
        page.click("button:has-text('Create coupon')");
        assertThat(page.textContent("#f-percent_off-error")).isEqualTo("Use a point for decimals, like 12.5.");
        fill(page, "percent_off", "12.345");
        page.click("button:has-text('Create coupon')");
        assertThat(page.textContent("#f-percent_off-error")).isEqualTo("Enter a percentage from 0.01 to 100, like 12.5.");
        fill(page, "percent_off", "100.5");
        page.click("button:has-text('Create coupon')");
        assertThat(page.textContent("#f-percent_off-error")).startsWith("“Percent off” must be above 0 and at most 100");
        assertThat(api.get("/v1/coupons").json().at("/data").size()).isZero();
        fill(page, "percent_off", "12.5");
        page.click("button:has-text('Create coupon')");
        assertThat(page.textContent(".flash")).endsWith(": 12.5% off, forever.");
        assertThat(api.get("/v1/coupons").json().at("/data/0/percent_off").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(page.textContent(".card:has(#coupons-title) tbody")).contains("12.5% off");
    }

    @Test
    void theDunningPolicyEditorPreviewsTheTimelineAsItIsTypedAndThePolicyBecomesTheDefault() {
        Browser.Console console = browser().newConsole();
        ApiClient api = browser().server.anonymous().withKey(console.secretKey());
        Page page = browser().page();
        browser().signIn(page, console, console.ownerEmail());
        page.navigate(console.url("catalog"));
        page.click("a:has-text('New policy')");
        assertThat(page.textContent("#timeline-preview")).contains("the timeline appears here");
        fill(page, "name", "Hosting, gentle", "step_after_days_0", "0");
        page.selectOption("#f-step_action_0", "retry_payment");
        page.waitForSelector("#timeline-preview li:has-text('Day 0: Retry the card.')");
        fill(page, "step_after_days_1", "3", "step_template_1", "payment_failed_2");
        page.selectOption("#f-step_action_1", "notify");
        page.waitForSelector("#timeline-preview li:has-text('Day 3: Email 2.')");
        fill(page, "step_after_days_2", "8");
        page.selectOption("#f-step_action_2", "suspend_services");
        page.waitForSelector("#timeline-preview li:has-text('Day 8: Suspend every service.')");
        assertThat(page.textContent("#preview-ok")).isEqualTo("The rules accept these steps.");
        // A step that goes back in time: the rules' refusal shows in the preview as it is typed, and beside the step on submit.
        fill(page, "step_after_days_3", "2");
        page.selectOption("#f-step_action_3", "cancel_services");
        page.waitForSelector("#preview-problem");
        assertThat(page.textContent("#preview-problem")).isEqualTo("“Day” (2) comes before the previous step's (8); list steps by day.");
        browser().assertAccessible(page);
        browser().screenshots(page, "console-catalog-policy-editor");
        page.click("button:has-text('Create policy')");
        assertThat(page.textContent("#f-step_after_days_3-error")).isEqualTo("“Day” (2) comes before the previous step's (8); list steps by day.");
        assertThat(page.inputValue("#f-step_template_1")).isEqualTo("payment_failed_2");
        assertThat(page.textContent("#timeline-preview")).contains("Day 2: Cancel every service.");
        fill(page, "step_after_days_3", "15");
        page.click("button:has-text('Create policy')");

        assertThat(page.textContent("h1")).isEqualTo("Hosting, gentle");
        assertThat(page.locator(".timeline li").allTextContents()).containsExactly("Day 0: Retry the card.", "Day 3: Email 2.",
                "Day 8: Suspend every service.", "Day 15: Cancel every service.");
        String id = page.url().substring(page.url().lastIndexOf('/') + 1);
        assertThat(api.get("/v1/dunning_policies/" + id).json().at("/steps/1/template").asText()).isEqualTo("payment_failed_2");
        page.click("button:has-text(\"Use as the workspace's default\")");
        assertThat(page.textContent(".flash")).startsWith("“Hosting, gentle” is now the workspace's default");
        assertThat(api.get("/v1/tenant").json().at("/dunning_policy").asText()).isEqualTo(id);
        browser().assertAccessible(page);
        browser().screenshots(page, "console-catalog-policy");

        // A policy cannot change: "start from this one" copies it into a new one; a taken name is the API's 409, beside the name.
        page.click("a:has-text('Start a new policy from this one')");
        assertThat(page.inputValue("#f-name")).isEqualTo("Hosting, gentle (copy)");
        assertThat(page.locator("#timeline-preview li").count()).isEqualTo(4);
        fill(page, "name", "Hosting, gentle");
        page.click("button:has-text('Create policy')");
        assertThat(page.textContent("#f-name-error")).isEqualTo("A dunning policy named 'Hosting, gentle' exists already.");
        page.navigate(console.url("catalog/policies/hosting_default"));
        assertThat(page.locator(".timeline li").allTextContents()).containsExactly("Day 0: Email 1.",
                "Day 3: Retry the card, then email 2.", "Day 8: Retry the card, then email 3, then suspend every service.",
                "Day 15: Retry the card, then cancel every service, then schedule the data's deletion, keeping backups 14 more days.");
        page.navigate(console.url("catalog"));
        assertThat(page.textContent(".card:has(#policies-title)")).contains("Workspace default: Hosting, gentle");
        browser().assertAccessible(page);
        assertThat(audit(console).stream().map(AuditEntry::action).toList()).containsExactlyInAnyOrder("dunning_policy.created",
                "tenant.default_dunning_policy_changed");
    }
}

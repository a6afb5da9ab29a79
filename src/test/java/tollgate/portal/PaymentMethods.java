package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tollgate.testing.ApiClient;
import tollgate.testing.Browser;
import tollgate.testing.Fixtures;

/** Payment methods in Chromium: sandbox test cards, the primary card, deleting it with the seed's confirmation, the gate. */
abstract class PaymentMethods {
    /** The browser, against the server of the database the subclass names. */
    abstract Browser browser();

    static final Instant START = Instant.parse("2029-12-10T09:00:00Z");

    private static void addCard(Page page, Browser.Portal portal, String token, boolean primary) {
        page.navigate(portal.url("payment-methods/new"));
        page.check("input[value='" + token + "']");
        if (page.isVisible("input[name=primary]")) {
            if (primary) page.check("input[name=primary]");
            else page.uncheck("input[name=primary]");
        }
        page.click("button:has-text('Save payment method')");
        page.waitForURL(portal.url("payment-methods"));
    }

    private static List<String> cards(Page page) {
        return page.locator(".pm").allInnerTexts().stream().map(t -> t.replaceAll("\\s+", " ").strip()).toList();
    }

    @Test
    void addAPrimaryCardAddASecondThenDeleteThePrimaryConfirmingWhichCardTakesOver() {
        PaymentCustomers.Seller seller = PaymentCustomers.seller(browser(), START);
        Browser.Portal portal = seller.portal();
        Page page = browser().page();
        browser().signedUpCustomer(portal, "Northwind Studio", "ada@northwind.example");

        page.click("nav >> text=Payment methods");
        page.waitForURL(portal.url("payment-methods"));
        assertThat(page.textContent("h2#none-title")).isEqualTo("No card on file");
        browser().assertAccessible(page);

        page.click("main >> text=Add a card >> nth=0");
        page.waitForURL(portal.url("payment-methods/new"));
        // Test mode: the sandbox's cards, labelled by what their charges do; no card number field anywhere.
        assertThat(page.locator(".choice").count()).isEqualTo(7);
        assertThat(page.textContent("label.choice:has(input[value=tok_visa])")).contains("Visa ending in 4242").contains("Payments succeed");
        assertThat(page.textContent("label.choice:has(input[value=tok_chargeDeclinedInsufficientFunds])"))
                .contains("Visa ending in 9995").contains("declined (insufficient funds)");
        assertThat(page.locator("input[name=primary]").count()).isZero();
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-add-card");

        page.check("input[value=tok_visa]");
        page.click("button:has-text('Save payment method')");
        page.waitForURL(portal.url("payment-methods"));
        assertThat(page.textContent(".flash")).isEqualTo("Visa ending in 4242 was added as your primary card.");
        assertThat(cards(page)).singleElement().asString().contains("Visa ending in 4242 Primary Expires 12/2034");

        // A second card, not primary; then make it primary.
        addCard(page, portal, "tok_mastercard", false);
        assertThat(page.textContent(".flash")).isEqualTo("Mastercard ending in 4444 was added.");
        assertThat(page.textContent(".pm-primary .pm-label")).contains("Visa ending in 4242");
        page.click("button:has-text('Set as primary: Mastercard ending in 4444')");
        page.waitForURL(portal.url("payment-methods"));
        assertThat(page.textContent(".flash")).isEqualTo("Mastercard ending in 4444 is now your primary card: invoices are charged to it first.");
        assertThat(page.textContent(".pm-primary .pm-label")).contains("Mastercard ending in 4444");
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-payment-methods");

        // A third card; deleting the primary names the card that takes over (the oldest remaining: the Visa).
        addCard(page, portal, "tok_chargeDeclinedOnce", false);
        page.click("a:has-text('Delete: Mastercard ending in 4444')");
        assertThat(page.textContent("h1")).isEqualTo("Delete Mastercard ending in 4444?");
        assertThat(page.textContent("#confirm-text")).contains("Visa ending in 4242").contains("becomes your primary payment method");
        // Focus is inside the confirmation, on its action: Enter deletes.
        assertThat(page.evaluate("document.activeElement.textContent")).isEqualTo("Delete payment method");
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-delete-card");
        page.keyboard().press("Enter");
        page.waitForURL(portal.url("payment-methods"));
        assertThat(page.textContent(".flash")).isEqualTo("Mastercard ending in 4444 was deleted. Visa ending in 4242 is now your primary card.");
        assertThat(page.locator(".pm").count()).isEqualTo(2);
        assertThat(page.textContent(".pm-primary .pm-label")).contains("Visa ending in 4242");
        // The API agrees: the service promoted the card the confirmation named.
        String account = browser().server.app.portalUsers.byEmail(portal.tenant(), "ada@northwind.example").orElseThrow().accountId();
        ApiClient.Res listed = seller.api().get("/v1/accounts/" + account + "/payment_methods");
        assertThat(listed.json().at("/data/0/last4").asText()).isEqualTo("4242");
        assertThat(listed.json().at("/data/0/primary").asBoolean()).isTrue();

        // Deleting a card that is not primary asks too, without naming a successor.
        page.click("a:has-text('Delete: Visa ending in 0341')");
        assertThat(page.textContent("#confirm-text")).contains("no longer be charged");
        page.click("a:has-text('Keep it')");
        page.waitForURL(portal.url("payment-methods"));
        assertThat(page.locator(".pm").count()).isEqualTo(2);
    }

    @Test
    void theReturnParameterLeadsBackAndOnlyToThisPortal() {
        PaymentCustomers.Seller seller = PaymentCustomers.seller(browser(), START);
        Browser.Portal portal = seller.portal();
        Page page = browser().page();
        browser().signedUpCustomer(portal, "Return Co", "ret@return.example");
        page.navigate(portal.url("payment-methods/new?return=licenses/issue"));
        page.check("input[value=tok_visa]");
        page.click("button:has-text('Save payment method')");
        page.waitForURL(portal.url("licenses/issue"));

        page.navigate(portal.url("payment-methods/new?return=//evil.example/x"));
        assertThat(page.locator("input[name=return]").count()).isZero();
        page.navigate(portal.url("payment-methods/new?return=https://evil.example"));
        assertThat(page.locator("input[name=return]").count()).isZero();
    }

    @Test
    void aDoubleSubmittedAddAttachesOneCard() {
        PaymentCustomers.Seller seller = PaymentCustomers.seller(browser(), START);
        Browser.Portal portal = seller.portal();
        Page page = browser().page();
        String account = browser().signedUpCustomer(portal, "Twice Ltd", "two@twice.example").account();
        page.navigate(portal.url("payment-methods/new"));
        page.check("input[value=tok_visa]");
        // The same form sent twice, as a double click sends it.
        page.evaluate("() => { const f = document.querySelector('main form'); const d = new FormData(f);"
                + " return Promise.all([1, 2].map(() => fetch(f.action, {method: 'POST', body: new URLSearchParams(d), redirect: 'manual'})))"
                + ".then(rs => rs.map(r => r.type)); }");
        assertThat(seller.api().get("/v1/accounts/" + account + "/payment_methods").json().get("data")).hasSize(1);
    }

    @Test
    void membersGetNeitherTheMenuEntriesNorThePagesAndOtherAccountsCardsAre404() {
        PaymentCustomers.Seller seller = PaymentCustomers.seller(browser(), START);
        Browser.Portal portal = seller.portal();
        Page page = browser().page();
        String account = browser().signedUpCustomer(portal, "Gate Inc", "owner@gate.example").account();
        PaymentCustomers.addMember(browser(), portal, account, "mel@gate.example");
        String otherAccount = Fixtures.payingAccount(seller.api(), "Other", "usd");
        String otherCard = seller.api().get("/v1/accounts/" + otherAccount + "/payment_methods").json().at("/data/0/id").asText();

        // The owner: another account's card is not found, and a forged POST to it changes nothing.
        Response r = page.navigate(portal.url("payment-methods/" + otherCard + "/delete"));
        assertThat(r.status()).isEqualTo(404);
        assertThat(seller.api().get("/v1/payment_methods/" + otherCard).status()).isEqualTo(200);

        Page member = browser().secondPage();
        PaymentCustomers.logIn(member, portal, "mel@gate.example");
        assertThat(member.locator("nav.nav a").allTextContents()).containsExactly("Dashboard", "Licenses");
        for (String p : List.of("payment-methods", "payment-methods/new", "invoices")) {
            Response denied = member.navigate(portal.url(p));
            assertThat(denied.status()).as(p).isEqualTo(403);
        }
        browser().assertAccessible(member);
        member.context().close();
    }
}

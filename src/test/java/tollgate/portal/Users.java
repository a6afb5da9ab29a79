package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import org.junit.jupiter.api.Test;
import tollgate.testing.Browser;

/** Users and roles, invitations, verification and password reset, clicked through in Chromium (decision 037). */
abstract class Users {
    /** The browser, against the server of the database the subclass names. */
    abstract Browser browser();

    static final String PASSWORD = Browser.PASSWORD;
    static final String MEMBER_PASSWORD = "violet tugboat marmalade";

    private void verify(Page page, Browser.Portal portal, String email) {
        page.navigate(portal.baseUrl() + PortalMail.linkPath(PortalMail.latest(browser().server.app, portal.tenant(), "email_verification", email)));
        assertThat(page.textContent(".flash")).contains("your email address is confirmed");
    }

    private static void invite(Page page, Browser.Portal portal, String email, String role) {
        page.navigate(portal.url("users/invite"));
        page.fill("#f-email", email);
        page.selectOption("#f-role", role);
        page.click("button:has-text('Send invitation')");
        page.waitForURL(portal.url("users"));
    }

    @Test
    void anInvitedMemberJoinsSeesNoManagerPagesAndIsSignedOutWhenDeactivated() {
        Browser.Portal portal = browser().newPortal();
        Page owner = browser().page();
        browser().signedUpCustomer(owner, portal, "Northwind Studio", "ada@northwind.example");
        // Until the owner confirms its address it may not invite: a notice says so and the form is refused.
        owner.navigate(portal.url("users"));
        assertThat(owner.textContent("#verify-notice")).contains("you cannot invite users");
        owner.navigate(portal.url("users/invite"));
        owner.fill("#f-email", "early@northwind.example");
        owner.selectOption("#f-role", "member");
        owner.click("button:has-text('Send invitation')");
        assertThat(owner.textContent("#f-email-error")).contains("Confirm your own email address");
        verify(owner, portal, "ada@northwind.example");

        owner.navigate(portal.url("users/invite"));
        browser().assertAccessible(owner);
        browser().screenshots(owner, "portal-invite");
        invite(owner, portal, "bob@northwind.example", "member");
        assertThat(owner.textContent(".flash")).contains("Invitation sent to bob@northwind.example");
        assertThat(owner.textContent("[data-email='bob@northwind.example']")).contains("Invited");

        String link = PortalMail.linkPath(PortalMail.latest(browser().server.app, portal.tenant(), "portal_invitation", "bob@northwind.example"));
        assertThat(PortalMail.latest(browser().server.app, portal.tenant(), "portal_invitation", "bob@northwind.example").subject())
                .isEqualTo("Ada Lovelace invites you to Northwind Studio on Acme Hosting");
        Page bob = browser().secondPage();
        bob.navigate(portal.baseUrl() + link);
        browser().assertAccessible(bob);
        browser().screenshots(bob, "portal-accept");
        bob.fill("#f-name", "Bob Builder");
        bob.fill("#f-password", "password1234");
        bob.click("button:has-text('Join and log in')");
        assertThat(bob.textContent("#f-password-error")).isNotEmpty();
        assertThat(bob.inputValue("#f-name")).isEqualTo("Bob Builder");
        bob.fill("#f-password", MEMBER_PASSWORD);
        bob.click("button:has-text('Join and log in')");
        bob.waitForURL(portal.url("dashboard"));
        assertThat(bob.textContent(".flash")).contains("you have joined Northwind Studio");
        // A member gets neither the menu entry nor the page.
        assertThat(bob.locator(".nav a").allTextContents()).containsExactly("Dashboard", "Licenses");
        Response forbidden = bob.navigate(portal.url("users"));
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(bob.textContent("h1")).isEqualTo("Not allowed");
        assertThat(bob.navigate(portal.url("users/invite")).status()).isEqualTo(403);
        // The invitation worked once.
        Page again = browser().secondPage();
        assertThat(again.navigate(portal.baseUrl() + link).status()).isEqualTo(410);
        assertThat(again.textContent("h1")).isEqualTo("This link no longer works");

        owner.navigate(portal.url("users"));
        assertThat(owner.locator(".nav a").allTextContents()).contains("Users");
        browser().assertAccessible(owner);
        browser().screenshots(owner, "portal-users");

        // Promote to admin: the Users entry appears for Bob; back to member.
        owner.selectOption("[data-email='bob@northwind.example'] select", "admin");
        owner.click("[data-email='bob@northwind.example'] button:has-text('Save role')");
        assertThat(owner.textContent(".flash")).isEqualTo("Bob Builder is now admin.");
        bob.navigate(portal.url("dashboard"));
        assertThat(bob.locator(".nav a").allTextContents()).contains("Users");
        // An admin cannot make owners: the choice is not offered, and the owner's role is not editable.
        bob.navigate(portal.url("users"));
        assertThat(bob.locator("[data-email='bob@northwind.example'] select option").allTextContents()).containsExactly("Admin", "Member");
        assertThat(bob.locator("[data-email='ada@northwind.example'] select").count()).isZero();
        // The last owner cannot demote itself.
        owner.selectOption("[data-email='ada@northwind.example'] select", "member");
        owner.click("[data-email='ada@northwind.example'] button:has-text('Save role')");
        assertThat(owner.textContent(".flash-error")).contains("at least one active owner");

        // Deactivate: confirmation page, then Bob's session ends at once.
        owner.click("[data-email='bob@northwind.example'] a:has-text('Deactivate')");
        assertThat(owner.evaluate("document.activeElement.textContent")).isEqualTo("Deactivate");
        browser().assertAccessible(owner);
        browser().screenshots(owner, "portal-deactivate-confirm");
        owner.click("button:has-text('Deactivate')");
        assertThat(owner.textContent(".flash")).contains("was deactivated and signed out");
        bob.navigate(portal.url("dashboard"));
        assertThat(bob.url()).isEqualTo(portal.url("login"));
        bob.fill("#f-email", "bob@northwind.example");
        bob.fill("#f-password", MEMBER_PASSWORD);
        bob.click("button:has-text('Log in')");
        assertThat(bob.textContent("#login-error")).isEqualTo("The email or password is incorrect.");
    }

    @Test
    void aPasswordResetWorksOnceEndsOtherSessionsAndAnswersAlikeForUnknownAddresses() {
        Browser.Portal portal = browser().newPortal();
        Page page = browser().page();
        browser().signedUpCustomer(page, portal, "Northwind Studio", "grace@reset.example");
        Page otherDevice = browser().secondPage();
        otherDevice.navigate(portal.url("login"));
        otherDevice.fill("#f-email", "grace@reset.example");
        otherDevice.fill("#f-password", PASSWORD);
        otherDevice.click("button:has-text('Log in')");
        otherDevice.waitForURL(portal.url("dashboard"));
        page.click("button:has-text('Log out')");

        page.navigate(portal.url("login"));
        page.click("a:has-text('Forgot your password?')");
        browser().assertAccessible(page);
        page.fill("#f-email", "nobody@reset.example");
        page.click("button:has-text('Send the link')");
        String unknown = page.textContent("#reset-sent");
        page.fill("#f-email", "grace@reset.example");
        page.click("button:has-text('Send the link')");
        assertThat(page.textContent("#reset-sent")).isEqualTo(unknown);
        browser().screenshots(page, "portal-forgot");

        var mail = PortalMail.latest(browser().server.app, portal.tenant(), "password_reset", "grace@reset.example");
        assertThat(mail.subject()).isEqualTo("Reset your password for Acme Hosting");
        String link = portal.baseUrl() + PortalMail.linkPath(mail);
        page.navigate(link);
        browser().assertAccessible(page);
        browser().screenshots(page, "portal-reset");
        page.fill("#f-password", "password1234");
        page.click("button:has-text('Save the password')");
        assertThat(page.textContent("#f-password-error")).isNotEmpty();
        page.fill("#f-password", "quiet lantern over seven hills");
        page.click("button:has-text('Save the password')");
        page.waitForURL(portal.url("dashboard"));
        assertThat(page.textContent(".flash")).contains("other sessions were ended");
        otherDevice.navigate(portal.url("dashboard"));
        assertThat(otherDevice.url()).isEqualTo(portal.url("login"));
        // Used once.
        assertThat(browser().secondPage().navigate(link).status()).isEqualTo(410);
        // The old password no longer works, the new one does.
        otherDevice.fill("#f-email", "grace@reset.example");
        otherDevice.fill("#f-password", PASSWORD);
        otherDevice.click("button:has-text('Log in')");
        assertThat(otherDevice.textContent("#login-error")).isEqualTo("The email or password is incorrect.");
        otherDevice.fill("#f-password", "quiet lantern over seven hills");
        otherDevice.click("button:has-text('Log in')");
        otherDevice.waitForURL(portal.url("dashboard"));
    }

    @Test
    void aResetLinkExpiresAfterThirtyMinutesOfTheTenantsClock() {
        Browser.Portal portal = browser().newPortal();
        Page page = browser().page();
        browser().signedUpCustomer(page, portal, "Northwind Studio", "late@reset.example");
        page.click("button:has-text('Log out')");
        page.navigate(portal.url("forgot"));
        page.fill("#f-email", "late@reset.example");
        page.click("button:has-text('Send the link')");
        String link = portal.baseUrl() + PortalMail.linkPath(PortalMail.latest(browser().server.app, portal.tenant(), "password_reset",
                "late@reset.example"));
        java.time.Instant now = browser().server.app.clock.now(browser().server.app.db.dsl(), portal.tenant());
        browser().server.app.testClock.advance(portal.tenant(), now.plus(java.time.Duration.ofMinutes(30)));
        Response r = page.navigate(link);
        assertThat(r.status()).isEqualTo(410);
        assertThat(page.textContent("h1")).isEqualTo("This link no longer works");
    }
}

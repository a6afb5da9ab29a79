package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.accounts.PortalUser;
import tollgate.accounts.PortalUserStore;
import tollgate.core.Ids;
import tollgate.notify.Mailbox;
import tollgate.testing.ApiClient;
import tollgate.testing.Fixtures;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;
import tollgate.web.Passwords;

/**
 * Issue 13's bad-input list where the browser tests left a gap, over plain HTTP on every database (decision 054):
 * another account's ids in every portal URL that takes one, read and written; a reset link opened in two tabs, and one
 * posted after its 30 minutes; a verification link used twice; a sign-up and an invitation sent twice.
 */
class PortalBadInputTest {
    private static final String PASSWORD = "correct horse battery staple";

    private record Portal(TestServer server, ApiClient api, String base) {
        PortalVisitor visitor() {
            return new PortalVisitor(base);
        }

        String accountOf(String email) {
            return server.app.portalUsers.byEmail(api.tenant, email).orElseThrow().accountId();
        }

        long mails(String template, String to) {
            return new Mailbox(server.app.notifications, server.app.courier).list(api.tenant, 200).stream()
                    .filter(l -> l.notification().template().equals(template) && l.notification().recipient().equalsIgnoreCase(to)).count();
        }

        String link(String template, String to) {
            return PortalMail.linkPath(PortalMail.latest(server.app, api.tenant, template, to)).replaceFirst("^/portal/[^/]+/", "");
        }

        void verify(String email) {
            server.app.db.dsl().execute("update portal_users set email_verified = true where tenant_id = ? and lower(email) = ?",
                    api.tenant.id(), email.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static Portal portal(TestDatabase database) {
        TestServer server = TestServer.on(database);
        ApiClient api = server.newTenant();
        String slug = "bad-input-" + Long.toString(System.nanoTime(), 36);
        server.app.tenants.setSlug(api.tenant.id(), slug);
        return new Portal(server, api, server.baseUrl + "/portal/" + slug + "/");
    }

    private static String member(Portal p, String account, String email) {
        String id = Ids.next("pusr");
        String hash = Passwords.hash(PASSWORD);
        p.server().app.db.tx(tx -> {
            new PortalUserStore().insert(tx, p.api().tenant.id(), new PortalUser(id, account, email, "Mel Member", PortalUser.Role.MEMBER,
                    hash, true, true, Instant.parse("2030-01-01T00:00:00Z")));
            return null;
        });
        return id;
    }

    /**
     * Decision 090: a site another account's license of the plan holds is refused beside the field, without naming that
     * license (its id is the other customer's business); the tenant's own API names it.
     */
    @ParameterizedTest
    @MethodSource("tollgate.testing.TestDatabase#available")
    void aSiteAnotherAccountLicensedIsRefusedWithoutNamingTheirLicense(TestDatabase database) {
        Portal p = portal(database);
        ApiClient api = p.api();
        PortalVisitor mine = p.visitor().signUp("Mine Ltd", "owner@mine.example", PASSWORD);
        String my = p.accountOf("owner@mine.example");
        p.verify("owner@mine.example");
        String their = Fixtures.payingAccount(api, "Theirs Ltd", "usd");
        String plan = Fixtures.licensePlan(api, "usd", 900);
        String theirLicense = Fixtures.issueOne(api, their, plan);
        assertThat(api.post("/v1/licenses/" + theirLicense + "/assign", "{\"site_url\":\"https://shop.example.com\"}").status()).isEqualTo(200);
        Fixtures.attachCard(api, my, "tok_visa");
        String myLicense = Fixtures.issueOne(api, my, plan);

        HttpResponse<String> r = mine.submit("licenses/" + myLicense + "/assign", "licenses/" + myLicense + "/assign",
                Map.of("site_url", "https://shop.example.com"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(r.body()).contains("https://shop.example.com already holds a license of this plan").doesNotContain(theirLicense);
        assertThat(api.get("/v1/licenses/" + myLicense).json().path("status").asText()).isEqualTo("unassigned");
    }

    @ParameterizedTest
    @MethodSource("tollgate.testing.TestDatabase#available")
    void anotherAccountsIdsInAnyPortalUrlAreNotFoundAndChangeNothing(TestDatabase database) {
        Portal p = portal(database);
        ApiClient api = p.api();
        PortalVisitor theirs = p.visitor().signUp("Theirs Ltd", "owner@theirs.example", PASSWORD);
        PortalVisitor mine = p.visitor().signUp("Mine Ltd", "owner@mine.example", PASSWORD);
        String their = p.accountOf("owner@theirs.example");
        String plan = Fixtures.licensePlan(api, "usd", 900);
        String card = Fixtures.attachCard(api, their, "tok_visa");
        String second = Fixtures.attachCard(api, their, "tok_mastercard");
        String license = Fixtures.issueOne(api, their, plan);
        ApiClient.Res inv = api.post("/v1/accounts/" + their + "/invoices", "{\"lines\":[{\"description\":\"Setup\",\"amount\":5000}]}");
        assertThat(inv.status()).as(inv.text()).isEqualTo(200);
        String invoice = inv.str("id");
        String invoiceBefore = api.get("/v1/invoices/" + invoice).json().path("status").asText();
        String user = member(p, their, "mel@theirs.example");
        p.verify("owner@theirs.example");
        assertThat(theirs.submit("users/invite", "users/invite", Map.of("email", "ivy@theirs.example", "role", "member")).statusCode()).isEqualTo(303);
        Matcher m = Pattern.compile("users/invitations/([A-Za-z0-9_]+)/revoke").matcher(theirs.get("users").body());
        assertThat(m.find()).as("their open invitation").isTrue();
        String invitation = m.group(1);

        List<String> reads = List.of("licenses/" + license + "/assign", "licenses/" + license + "/unassign", "licenses/" + license + "/revoke",
                "licenses/new/" + license, "invoices/" + invoice, "invoices/" + invoice + "/pdf", "payment-methods/" + card + "/delete",
                "users/" + user + "/deactivate");
        Map<String, Map<String, String>> writes = new LinkedHashMap<>();
        writes.put("licenses/" + license + "/assign", Map.of("site_url", "https://mine.example"));
        writes.put("licenses/" + license + "/unassign", Map.of());
        writes.put("licenses/" + license + "/revoke", Map.of());
        writes.put("invoices/" + invoice + "/pay", Map.of("payment_method", card, "form_token", tollgate.web.FormTokens.newToken()));
        writes.put("payment-methods/" + card + "/delete", Map.of("form_token", tollgate.web.FormTokens.newToken()));
        writes.put("payment-methods/" + second + "/primary", Map.of());
        writes.put("users/" + user + "/role", Map.of("role", "admin"));
        writes.put("users/" + user + "/deactivate", Map.of());
        writes.put("users/" + user + "/reactivate", Map.of());
        writes.put("users/invitations/" + invitation + "/revoke", Map.of());

        // The owner of another account of the same tenant, and the owner of an account in another tenant's portal.
        Portal elsewhere = portal(database);
        PortalVisitor stranger = elsewhere.visitor().signUp("Stranger Ltd", "owner@stranger.example", PASSWORD);
        for (PortalVisitor who : List.of(mine, stranger)) {
            for (String path : reads) {
                HttpResponse<String> r = who.get(path);
                assertThat(r.statusCode()).as(path).isEqualTo(404);
                assertThat(r.body()).as(path).contains("Page not found").doesNotContain("Theirs Ltd");
            }
            String csrf = who.hiddenOf("dashboard").get("_csrf");
            writes.forEach((path, fields) -> {
                Map<String, String> form = new LinkedHashMap<>(fields);
                form.put("_csrf", csrf);
                HttpResponse<String> r = who.post(path, form);
                if (path.endsWith("/delete") && path.startsWith("payment-methods/")) {
                    // Deleting a card that is not (or no longer) this account's goes back to this account's own list,
                    // as the second send of a double-clicked Delete does: the same answer as for a card already gone.
                    assertThat(r.statusCode()).as("POST " + path).isEqualTo(303);
                    assertThat(r.headers().firstValue("Location").orElseThrow()).as("POST " + path).endsWith("/payment-methods");
                } else assertThat(r.statusCode()).as("POST " + path).isEqualTo(404);
            });
        }

        assertThat(api.get("/v1/licenses/" + license).json().path("status").asText()).isEqualTo("unassigned");
        assertThat(api.get("/v1/invoices/" + invoice).json().path("status").asText()).isEqualTo(invoiceBefore);
        assertThat(api.get("/v1/payment_methods/" + card).status()).isEqualTo(200);
        assertThat(api.get("/v1/accounts/" + their + "/payment_methods").json().at("/data")).hasSize(2);
        assertThat(api.get("/v1/payment_methods/" + card).json().path("primary").asBoolean()).isTrue();
        PortalUser mel = p.server().app.portalUsers.get(api.tenant, user).orElseThrow();
        assertThat(mel.active()).isTrue();
        assertThat(mel.role()).isEqualTo(PortalUser.Role.MEMBER);
        assertThat(p.server().app.portalLinks.openInvitations(api.tenant, their)).hasSize(1);
        // Their owner still sees all of it.
        assertThat(theirs.get("payment-methods/" + card + "/delete").statusCode()).isEqualTo(200);
        assertThat(theirs.get("licenses/" + license + "/revoke").statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @MethodSource("tollgate.testing.TestDatabase#available")
    void aResetLinkWorksOnceEvenFromTwoTabsAndCannotBeSentAfterItsThirtyMinutes(TestDatabase database) {
        Portal p = portal(database);
        p.visitor().signUp("Reset Ltd", "grace@reset.example", PASSWORD);
        PortalVisitor asking = p.visitor();
        assertThat(asking.submit("forgot", "forgot", Map.of("email", "grace@reset.example")).statusCode()).isEqualTo(200);
        String link = p.link("password_reset", "grace@reset.example");

        // Opened in two tabs; the first saves a password, the second is then refused and changes nothing.
        PortalVisitor first = p.visitor();
        PortalVisitor later = p.visitor();
        Map<String, String> firstForm = new LinkedHashMap<>(first.hiddenOf(link));
        Map<String, String> laterForm = new LinkedHashMap<>(later.hiddenOf(link));
        firstForm.put("password", "quiet lantern over seven hills");
        laterForm.put("password", "another lantern over nine hills");
        assertThat(first.post(link, firstForm).statusCode()).isEqualTo(303);
        HttpResponse<String> reused = later.post(link, laterForm);
        assertThat(reused.statusCode()).isEqualTo(410);
        assertThat(reused.body()).contains("This link no longer works");
        assertThat(later.get(link).statusCode()).isEqualTo(410);
        assertThat(p.visitor().submit("login", "login", Map.of("email", "grace@reset.example", "password", "another lantern over nine hills"))
                .statusCode()).isEqualTo(422);
        assertThat(p.visitor().submit("login", "login", Map.of("email", "grace@reset.example", "password", "quiet lantern over seven hills"))
                .statusCode()).isEqualTo(303);

        // A new link, opened at 29 minutes (it works), sent at 30: refused, the password unchanged.
        assertThat(asking.submit("forgot", "forgot", Map.of("email", "grace@reset.example")).statusCode()).isEqualTo(200);
        String second = p.link("password_reset", "grace@reset.example");
        assertThat(second).isNotEqualTo(link);
        Instant now = p.server().app.clock.now(p.server().app.db.dsl(), p.api().tenant);
        p.server().app.testClock.advance(p.api().tenant, now.plus(Duration.ofMinutes(29)));
        PortalVisitor slow = p.visitor();
        Map<String, String> slowForm = new LinkedHashMap<>(slow.hiddenOf(second));
        slowForm.put("password", "a slow lantern over ten hills");
        p.server().app.testClock.advance(p.api().tenant, now.plus(Duration.ofMinutes(30)));
        assertThat(slow.post(second, slowForm).statusCode()).isEqualTo(410);
        assertThat(p.visitor().submit("login", "login", Map.of("email", "grace@reset.example", "password", "quiet lantern over seven hills"))
                .statusCode()).isEqualTo(303);
    }

    @ParameterizedTest
    @MethodSource("tollgate.testing.TestDatabase#available")
    void aVerificationLinkWorksOnce(TestDatabase database) {
        Portal p = portal(database);
        PortalVisitor owner = p.visitor().signUp("Verify Ltd", "ada@verify.example", PASSWORD);
        assertThat(p.server().app.portalUsers.byEmail(p.api().tenant, "ada@verify.example").orElseThrow().emailVerified()).isFalse();
        String link = p.link("email_verification", "ada@verify.example");
        assertThat(owner.get(link).statusCode()).isEqualTo(303);
        assertThat(p.server().app.portalUsers.byEmail(p.api().tenant, "ada@verify.example").orElseThrow().emailVerified()).isTrue();
        HttpResponse<String> again = p.visitor().get(link);
        assertThat(again.statusCode()).isEqualTo(410);
        assertThat(again.body()).contains("This link no longer works");
    }

    @ParameterizedTest
    @MethodSource("tollgate.testing.TestDatabase#available")
    void aSignUpOrAnInvitationSentTwiceHasOneEffect(TestDatabase database) {
        Portal p = portal(database);
        // The sign-up form sent twice at once (a double click): one account and one user; the second answer says why
        // beside the field, with what was typed (it was a 500 on H2 when both passed the duplicate check together).
        PortalVisitor v = p.visitor();
        Map<String, String> signUp = new LinkedHashMap<>(Map.of("company", "Twice Ltd", "contact_name", "Ada Lovelace",
                "email", "ada@twice.example", "country", "GB", "timezone", "Europe/London", "password", PASSWORD));
        signUp.putAll(v.hiddenOf("signup"));
        List<HttpResponse<String>> both = v.postTwiceAtOnce("signup", signUp);
        assertThat(both).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(303, 409);
        HttpResponse<String> again = both.stream().filter(r -> r.statusCode() == 409).findFirst().orElseThrow();
        assertThat(again.body()).contains("An account with this email already exists").contains("value=\"Twice Ltd\"");
        assertThat(p.server().app.db.dsl().fetchCount(p.server().app.db.dsl().selectFrom("accounts")
                .where("tenant_id = ? and name = ?", p.api().tenant.id(), "Twice Ltd"))).isEqualTo(1);
        assertThat(p.server().app.db.dsl().fetchCount(p.server().app.db.dsl().selectFrom("portal_users")
                .where("tenant_id = ? and lower(email) = ?", p.api().tenant.id(), "ada@twice.example"))).isEqualTo(1);

        // The invitation form sent twice: one invitation, one mail, and its link is the one that works.
        PortalVisitor owner = p.visitor();
        assertThat(owner.submit("login", "login", Map.of("email", "ada@twice.example", "password", PASSWORD)).statusCode()).isEqualTo(303);
        p.verify("ada@twice.example");
        Map<String, String> invite = new LinkedHashMap<>(Map.of("email", "bob@twice.example", "role", "member"));
        invite.putAll(owner.hiddenOf("users/invite"));
        assertThat(invite).containsKey("form_token");
        assertThat(owner.post("users/invite", invite).statusCode()).isEqualTo(303);
        assertThat(owner.post("users/invite", invite).statusCode()).isEqualTo(303);
        assertThat(p.mails("portal_invitation", "bob@twice.example")).isEqualTo(1);
        assertThat(p.server().app.portalLinks.openInvitations(p.api().tenant, p.accountOf("ada@twice.example"))).hasSize(1);
        assertThat(p.visitor().get(p.link("portal_invitation", "bob@twice.example")).statusCode()).isEqualTo(200);
        // Without its form token an invitation is not sent at all (a forged or stale form).
        Map<String, String> tokenless = new LinkedHashMap<>(invite);
        tokenless.remove("form_token");
        tokenless.put("email", "carol@twice.example");
        owner.post("users/invite", tokenless);
        assertThat(p.mails("portal_invitation", "carol@twice.example")).isZero();
    }

    @ParameterizedTest
    @MethodSource("tollgate.testing.TestDatabase#available")
    void aStartSubscriptionSentTwiceAtOnceStartsOne(TestDatabase database) {
        Portal p = portal(database);
        PortalVisitor owner = p.visitor().signUp("Twice Hosting", "sam@twice.example", PASSWORD);
        String account = p.accountOf("sam@twice.example");
        String plan = p.server().app.plans.create(p.api().tenant, new tollgate.catalog.PlanDraft("Hosting", "flat", "usd", 2900L, "month",
                null, null, null, null, null, null)).id();
        p.server().app.paymentMethods.attach(p.api().tenant, account, "tok_visa", false);
        Map<String, String> start = new LinkedHashMap<>(Map.of("plan", plan));
        start.putAll(owner.hiddenOf("billing"));
        assertThat(start).containsKey("form_token");
        List<HttpResponse<String>> both = owner.postTwiceAtOnce("billing/subscribe", start);
        assertThat(both).extracting(HttpResponse::statusCode).containsOnly(303);
        assertThat(p.server().app.db.dsl().fetchCount(p.server().app.db.dsl().selectFrom("subscriptions")
                .where("tenant_id = ? and account_id = ?", p.api().tenant.id(), account))).isEqualTo(1);
        // Sent again later (a reload of the answer): still one.
        assertThat(owner.post("billing/subscribe", start).statusCode()).isEqualTo(303);
        assertThat(p.server().app.db.dsl().fetchCount(p.server().app.db.dsl().selectFrom("subscriptions")
                .where("tenant_id = ? and account_id = ?", p.api().tenant.id(), account))).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("tollgate.testing.TestDatabase#available")
    void markupTypedIntoTheFormsIsEscapedInThePortalsMails(TestDatabase database) {
        Portal p = portal(database);
        String company = "<script>alert(1)</script> & \"Sons\"";
        PortalVisitor owner = p.visitor();
        HttpResponse<String> r = owner.submit("signup", "signup", Map.of("company", company, "contact_name", "<b>Ada</b> <img src=x onerror=alert(2)>",
                "email", "ada@markup.example", "country", "GB", "timezone", "Europe/London", "password", PASSWORD));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        var verification = PortalMail.latest(p.server().app, p.api().tenant, "email_verification", "ada@markup.example");
        p.verify("ada@markup.example");
        assertThat(owner.submit("users/invite", "users/invite", Map.of("email", "bob@markup.example", "role", "member")).statusCode()).isEqualTo(303);
        var invitation = PortalMail.latest(p.server().app, p.api().tenant, "portal_invitation", "bob@markup.example");
        assertThat(invitation.text()).contains("<b>Ada</b>"); // the text part is text: nothing to escape, shown as typed
        for (var mail : List.of(verification, invitation)) {
            assertThat(mail.html()).as(mail.subject()).doesNotContain("<script>", "<b>Ada</b>", "<img");
            assertThat(mail.subject()).doesNotContain("\n", "\r");
        }
        assertThat(invitation.html()).contains("&lt;b&gt;Ada&lt;/b&gt;");
        assertThat(invitation.html() + verification.html()).contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Sons&quot;");
    }
}

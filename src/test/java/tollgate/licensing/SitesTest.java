package tollgate.licensing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** SPEC §3: sites apply and check their key themselves; the key is the credential. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class SitesTest {
    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;
    ApiClient site;
    String account;
    String plan;

    @BeforeEach
    void agency() {
        server = TestServer.on(database);
        api = server.newTenant();
        site = server.anonymous();
        account = Fixtures.payingAccount(api, "Agency", "usd");
        plan = Fixtures.licensePlan(api, "usd", 900);
    }

    private String newKey() {
        return api.get("/v1/licenses/" + Fixtures.issueOne(api, account, plan)).str("key");
    }

    private Res validate(String key, String url) {
        return site.get("/v1/licenses/validate?key=" + enc(key) + "&site_url=" + enc(url));
    }

    private Res activate(String key, String url) {
        return site.post("/v1/licenses/activate", "{\"key\":\"" + key + "\",\"site_url\":\"" + url + "\"}");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void aSiteCheckWhileARevocationIsCommittingCannotKeepTheOldAnswer() throws Exception {
        String license = Fixtures.issueOne(api, account, plan);
        String key = api.get("/v1/licenses/" + license).str("key");
        assertThat(activate(key, "https://a.example").status()).isEqualTo(200);
        Licensing licensing = server.app.licensing;
        // The revocation inside a request's one transaction (decision 070), and a site's check in the middle of it, from
        // another thread: it sees the license as committed (still valid) and may cache that.
        server.app.db.inOne(tx -> {
            licensing.revoke(api.tenant, license);
            java.util.concurrent.CompletableFuture<SiteCheck.Verdict> during = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> licensing.validate(key, "https://a.example"), java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            assertThat(during.join().valid()).as("the revocation is not committed yet").isTrue();
            return null;
        });
        // The cache forgot the key after the commit (Database.afterCommit), not before: the check after it is answered anew.
        SiteCheck.Verdict after = licensing.validate(key, "https://a.example");
        assertThat(after.valid()).isFalse();
        assertThat(after.status()).isEqualTo("revoked");
    }

    @Test
    void activateHonoursIdempotencyKeyScopedToTheLicenseKey() {
        String license = Fixtures.issueOne(api, account, plan);
        String key = api.get("/v1/licenses/" + license).str("key");
        String body = "{\"key\":\"" + key + "\",\"site_url\":\"https://a.example\"}";
        Res first = site.post("/v1/licenses/activate", body, java.util.Map.of("Idempotency-Key", "activate-1"));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(api.post("/v1/licenses/" + license + "/unassign", null).str("status")).isEqualTo("unassigned");

        // The retry gets the first answer and changes nothing: the tenant's unassignment stands.
        Res retry = site.post("/v1/licenses/activate", body, java.util.Map.of("Idempotency-Key", "activate-1"));
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.text()).isEqualTo(first.text());
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(api.get("/v1/licenses/" + license).str("status")).isEqualTo("unassigned");
        Res otherSite = site.post("/v1/licenses/activate", body.replace("a.example", "b.example"),
                java.util.Map.of("Idempotency-Key", "activate-1"));
        assertThat(otherSite.status()).isEqualTo(409);
        assertThat(otherSite.code()).isEqualTo("idempotency_key_reused");

        // Another license key with the same Idempotency-Key is another request, and so is the tenant's own use of it.
        Res another = site.post("/v1/licenses/activate", "{\"key\":\"" + newKey() + "\",\"site_url\":\"https://a.example\"}",
                java.util.Map.of("Idempotency-Key", "activate-1"));
        assertThat(another.status()).isEqualTo(200);
        assertThat(another.header("Idempotent-Replayed")).isNull();
        Res tenants = api.post("/v1/accounts", "{\"name\":\"X\",\"email\":\"x@x.test\",\"currency\":\"usd\"}",
                java.util.Map.of("Idempotency-Key", "activate-1"));
        assertThat(tenants.status()).isEqualTo(200);
        assertThat(tenants.header("Idempotent-Replayed")).isNull();
    }

    @Test
    void aSiteActivatesItsKeyAndThenValidates() {
        String key = newKey();
        Res before = validate(key, "https://blog.example");
        assertThat(before.json().get("valid").asBoolean()).isFalse();
        assertThat(before.str("reason")).isEqualTo("unassigned");
        assertThat(before.str("status")).isEqualTo("unassigned");
        assertThat(before.str("plan")).isEqualTo(plan);

        Res activated = activate(key, "https://Blog.example/");
        assertThat(activated.status()).isEqualTo(200);
        // A verdict like validate's, not the license (its id, account and metadata are the tenant's business).
        assertThat(activated.json().get("valid").asBoolean()).isTrue();
        assertThat(activated.str("status")).isEqualTo("assigned");
        assertThat(activated.str("plan")).isEqualTo(plan);
        assertThat(activated.json().get("reason").isNull()).isTrue();
        assertThat(activated.json().has("account")).isFalse();
        assertThat(activated.json().has("id")).isFalse();
        assertThat(activated.json().has("key")).isFalse();
        assertThat(api.get("/v1/accounts/" + account + "/licenses?status=assigned").json().at("/data/0/site_url").asText())
                .isEqualTo("https://blog.example");

        Res ok = validate(key, "blog.example");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("valid").asBoolean()).isTrue();
        assertThat(ok.str("status")).isEqualTo("assigned");
        assertThat(ok.str("plan")).isEqualTo(plan);
        assertThat(ok.json().get("reason").isNull()).isTrue();

        // Applying the same key again on the same site changes nothing; another site is refused.
        assertThat(activate(key, "https://blog.example").status()).isEqualTo(200);
        Res elsewhere = activate(key, "https://other.example");
        assertThat(elsewhere.status()).isEqualTo(409);
        assertThat(elsewhere.code()).isEqualTo("license_already_assigned");
        assertThat(api.get("/v1/events?type=license.assigned&account=" + account).json().get("data")).hasSize(1);
    }

    @Test
    void validateExplainsEveryRefusal() {
        String key = newKey();
        activate(key, "https://a.example");
        Res mismatch = validate(key, "https://b.example");
        assertThat(mismatch.json().get("valid").asBoolean()).isFalse();
        assertThat(mismatch.str("reason")).isEqualTo("site_mismatch");

        Res unknown = validate("AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", "https://a.example");
        assertThat(unknown.json().get("valid").asBoolean()).isFalse();
        assertThat(unknown.str("reason")).isEqualTo("not_found");
        assertThat(unknown.json().get("status").isNull()).isTrue();
        assertThat(validate("not-a-key", "https://a.example").str("reason")).isEqualTo("not_found");

        String id = api.get("/v1/accounts/" + account + "/licenses?status=assigned").json().at("/data/0/id").asText();
        api.post("/v1/licenses/" + id + "/revoke", null);
        Res revoked = validate(key, "https://a.example");
        assertThat(revoked.json().get("valid").asBoolean()).isFalse();
        assertThat(revoked.str("reason")).isEqualTo("revoked");
        assertThat(revoked.str("status")).isEqualTo("revoked");
        assertThat(activate(key, "https://a.example").code()).isEqualTo("license_revoked");
    }

    @Test
    void keysAreReadForgivingly() {
        String key = newKey();
        activate(key, "https://a.example");
        String sloppy = key.toLowerCase().replace("-", " ").replace('0', 'o').replace('1', 'l');
        assertThat(validate(sloppy, "https://a.example").json().get("valid").asBoolean()).isTrue();
    }

    @Test
    void unassigningShowsAtOnceOnThisServer() {
        String key = newKey();
        activate(key, "https://a.example");
        assertThat(validate(key, "https://a.example").json().get("valid").asBoolean()).isTrue();
        String id = api.get("/v1/accounts/" + account + "/licenses?status=assigned").json().at("/data/0/id").asText();
        api.post("/v1/licenses/" + id + "/unassign", null);
        assertThat(validate(key, "https://a.example").str("reason")).isEqualTo("unassigned");
    }

    @Test
    void validationNeverWritesToTheDatabase() {
        String key = newKey();
        activate(key, "https://a.example");
        validate(key, "https://a.example");
        // The last check these noted is written by the worker's flush (decision 047), taken here so that no flush falls
        // inside the count below; the hour's throttle then notes nothing more for this license.
        server.app.licensing.flushSiteChecks();
        // The server is shared by the test classes: e-mails an earlier test's invoices queued (the mail worker marks each
        // sent, a write) are sent first; when the background mail worker still marked some sent inside the count (it had
        // claimed them before), the count is taken again. Any other write fails the test.
        for (int attempt = 1; ; attempt++) {
            server.app.courier.deliverAllDue();
            long settled = settledNotifications();
            long writes = server.app.db.statementsWritten();
            long reads = server.app.db.statementsRead();
            for (int i = 0; i < 200; i++) {
                assertThat(validate(key, "https://a.example").json().get("valid").asBoolean()).isTrue();
                validate("ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ", "https://a.example");
            }
            long written = server.app.db.statementsWritten() - writes;
            long read = server.app.db.statementsRead() - reads;
            if (written > 0 && settledNotifications() != settled && attempt < 5) continue;
            // 400 checks: no write at all; reads only for the one uncached key and the background workers' polls (a few
            // a second, so a slow machine sees more of them): far fewer than one read per check of the cached key.
            assertThat(written).isZero();
            assertThat(read).isLessThan(100);
            return;
        }
    }

    private long settledNotifications() {
        return server.app.db.dsl().fetchOne("select count(*) from notifications where status <> 'pending'").get(0, Long.class);
    }

    /**
     * Decision 090: {@code activate} is answered to whoever holds a key. A site already licensed by another customer's
     * license of the plan is refused with the code, but the refusal names no license: the other customer's id is theirs.
     */
    @Test
    void activatingASiteAnotherCustomerLicensedNamesNoLicense() {
        String theirs = Fixtures.issueOne(api, account, plan);
        api.post("/v1/licenses/" + theirs + "/assign", "{\"site_url\":\"https://shop.example.com\"}");
        String otherCustomer = Fixtures.payingAccount(api, "Other customer", "usd");
        String key = api.get("/v1/licenses/" + Fixtures.issueOne(api, otherCustomer, plan)).str("key");

        Res refused = activate(key, "https://Shop.example.com/");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("site_already_licensed");
        assertThat(refused.str("detail")).isEqualTo("https://shop.example.com already holds a license of this plan");
        assertThat(refused.text()).doesNotContain(theirs).doesNotContain("lic_");
    }

    /**
     * Decision 090: README's "the key in the body or a header" holds for the POSTs too: the key may come in the
     * Tollgate-License-Key header when the body has none; both given must be one key (spelt any way), else 422.
     */
    @Test
    void thePostedCallsTakeTheKeyFromTheHeaderWhenTheBodyHasNone() {
        String key = newKey();
        java.util.Map<String, String> header = java.util.Map.of("Tollgate-License-Key", key);
        Res activated = site.post("/v1/licenses/activate", "{\"site_url\":\"https://header.example\"}", header);
        assertThat(activated.status()).as(activated.text()).isEqualTo(200);
        assertThat(activated.json().get("valid").asBoolean()).isTrue();
        Res checked = site.post("/v1/licenses/validate", "{\"site_url\":\"https://header.example\"}", header);
        assertThat(checked.status()).as(checked.text()).isEqualTo(200);
        assertThat(checked.json().get("valid").asBoolean()).isTrue();

        // The same key in both places, however spelt, is one key.
        String sloppy = key.toLowerCase().replace("-", " ");
        Res both = site.post("/v1/licenses/validate", "{\"key\":\"" + sloppy + "\",\"site_url\":\"https://header.example\"}", header);
        assertThat(both.json().get("valid").asBoolean()).isTrue();

        // Two different keys: which one the site meant cannot be told.
        String other = newKey();
        for (String path : new String[] {"/v1/licenses/activate", "/v1/licenses/validate"}) {
            Res clash = site.post(path, "{\"key\":\"" + other + "\",\"site_url\":\"https://header.example\"}", header);
            assertThat(clash.status()).as(path + ": " + clash.text()).isEqualTo(422);
            assertThat(clash.code()).isEqualTo("parameters_exclusive");
            assertThat(clash.str("field")).isEqualTo("key");
            Res none = site.post(path, "{\"site_url\":\"https://header.example\"}");
            assertThat(none.code()).as(path).isEqualTo("parameter_missing");
            assertThat(none.str("field")).isEqualTo("key");
        }
        assertThat(api.get("/v1/accounts/" + account + "/licenses?status=assigned").json().get("data")).hasSize(1);

        // An Idempotency-Key on activate is kept under the header's key too: a retry is replayed.
        String third = newKey();
        java.util.Map<String, String> retried = java.util.Map.of("Tollgate-License-Key", third, "Idempotency-Key", "header-1");
        assertThat(site.post("/v1/licenses/activate", "{\"site_url\":\"https://third.example\"}", retried).status()).isEqualTo(200);
        Res again = site.post("/v1/licenses/activate", "{\"site_url\":\"https://third.example\"}", retried);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    }

    @Test
    void activateWithAnUnknownKeyIs404AndBadInputIs422() {
        Res unknown = activate("AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", "https://a.example");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("license_not_found");
        assertThat(activate(newKey(), "ftp://a.example").code()).isEqualTo("site_url_invalid");
        assertThat(site.get("/v1/licenses/validate?site_url=a.example").code()).isEqualTo("parameter_missing");
        assertThat(site.get("/v1/licenses/validate?key=AAAAA").code()).isEqualTo("parameter_missing");
        assertThat(validate(newKey(), "mailto:x@example.com").code()).isEqualTo("site_url_invalid");
        // Decision 090: the sites' own calls read site URLs as assign does (LicenseLifecycleTest has the whole list).
        assertThat(activate(newKey(), "https://a.example:0").code()).isEqualTo("site_url_invalid");
        assertThat(validate(newKey(), "https://a.example:99999").code()).isEqualTo("site_url_invalid");
        assertThat(validate(newKey(), "https://a.example/%00").code()).isEqualTo("site_url_invalid");
        assertThat(site.post("/v1/licenses/validate", "{\"key\":\"" + newKey() + "\",\"site_url\":\"https://a.example/\u202Ecod.exe\"}")
                .code()).isEqualTo("site_url_invalid");
    }

    private java.time.Instant lastCheckedAt(String licenseId) {
        return server.app.db.dsl().fetchOne("select last_checked_at from licenses where id = ?", licenseId).get(0, java.time.Instant.class);
    }

    /**
     * Decision 047: a check is noted in memory on the request path and written by the worker's flush, stamped with the
     * tenant's clock; a license checked again within the hour is not noted again, and the update leaves a row written
     * within the hour alone (whichever node flushes), so the row is written at most once an hour.
     */
    @Test
    void aSitesCheckIsWrittenByTheFlushWithTheTenantsTimeAndAtMostOnceAnHour() {
        String license = Fixtures.issueOne(api, account, plan);
        String key = api.get("/v1/licenses/" + license).str("key");
        String other = Fixtures.issueOne(api, account, plan);
        assertThat(lastCheckedAt(license)).isNull();
        activate(key, "https://a.example");
        for (int i = 0; i < 5; i++) validate(key, "https://a.example");
        server.app.licensing.flushSiteChecks();
        java.time.Instant first = server.app.testClock.now(api.tenant);
        assertThat(lastCheckedAt(license)).isEqualTo(first);
        assertThat(lastCheckedAt(other)).isNull();

        // Three hours later on the tenant's clock a check within the same real hour is not noted again: nothing is written.
        assertThat(api.post("/v1/test_clock/advance", "{\"to\":\"" + first.plusSeconds(3 * 3600) + "\"}").status()).isEqualTo(200);
        validate(key, "https://a.example");
        server.app.licensing.flushSiteChecks();
        assertThat(lastCheckedAt(license)).isEqualTo(first);

        // The update itself (what another node's flush sends): within the hour of the row's time, nothing; past it, the new time.
        assertThat(mark(java.util.List.of(license, other), first.plusSeconds(1800))).isEqualTo(1); // only the never-checked one
        assertThat(lastCheckedAt(license)).isEqualTo(first);
        assertThat(lastCheckedAt(other)).isEqualTo(first.plusSeconds(1800));
        assertThat(mark(java.util.List.of(license), first.plusSeconds(3 * 3600))).isEqualTo(1);
        assertThat(lastCheckedAt(license)).isEqualTo(first.plusSeconds(3 * 3600));
    }

    /** The flush's update for this tenant at {@code now}: rows written within the hour before it stay. */
    private int mark(java.util.List<String> licenseIds, java.time.Instant now) {
        Integer n = server.app.db.tx(tx -> new LicenseStore().markChecked(tx, api.tenant.id(), licenseIds, now, now.minus(SiteChecks.AT_MOST_EVERY)));
        return n;
    }
}

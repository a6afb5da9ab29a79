package tollgate.licensing;

import static org.assertj.core.api.Assertions.assertThat;
import static tollgate.testing.Fixtures.issue;
import static tollgate.testing.Fixtures.issueOne;

import com.fasterxml.jackson.databind.JsonNode;
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

/** SPEC §3: issue, assign, unassign, revoke — the Jetpack Manage license lifecycle. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class LicenseLifecycleTest {
    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;
    String account;
    String plan;

    @BeforeEach
    void agency() {
        server = TestServer.on(database);
        api = server.newTenant();
        account = Fixtures.payingAccount(api, "Agency", "usd");
        plan = Fixtures.licensePlan(api, "usd", 900);
    }

    private Res post(String path, String body) {
        return api.post(path, body);
    }

    private int events(String type) {
        return api.get("/v1/events?limit=100&type=" + type + "&account=" + account).json().get("data").size();
    }

    @Test
    void licensesIssuedInOneRequestAreListedNewestFirstInTheOrderTheyWereMade() {
        // Made in the same millisecond: their ids sort in the order they were made (decision 076), where
        // the random part used to shuffle them.
        Res r = issue(api, account, plan, 25);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        java.util.List<String> issued = new java.util.ArrayList<>();
        r.json().get("data").forEach(l -> issued.add(l.get("id").asText()));
        java.util.List<String> listed = new java.util.ArrayList<>();
        api.get("/v1/accounts/" + account + "/licenses?limit=25").json().get("data").forEach(l -> listed.add(l.get("id").asText()));
        assertThat(listed).containsExactlyElementsOf(issued.reversed());
    }

    @Test
    void issuingMakesUnassignedLicensesWithHumanKeysAndOneEventEach() {
        Res r = issue(api, account, plan, 3);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.str("object")).isEqualTo("list");
        JsonNode data = r.json().get("data");
        assertThat(data).hasSize(3);
        for (JsonNode l : data) {
            assertThat(l.get("id").asText()).startsWith("lic_");
            assertThat(l.get("object").asText()).isEqualTo("license");
            assertThat(l.get("key").asText()).matches("[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){4}");
            assertThat(l.get("key_suffix").asText()).isEqualTo(l.get("key").asText().substring(24));
            assertThat(l.get("status").asText()).isEqualTo("unassigned");
            assertThat(l.get("plan").asText()).isEqualTo(plan);
            assertThat(l.get("bundle").isNull()).isTrue();
            assertThat(l.get("site_url").isNull()).isTrue();
            assertThat(l.get("revoked_at").isNull()).isTrue();
            assertThat(l.get("issued_at").asText()).isNotBlank();
        }
        assertThat(events("license.issued")).isEqualTo(3);
        // Events keep no key: a copy of the event log is no copy of the keys.
        String log = api.get("/v1/events?limit=100&account=" + account).text();
        for (JsonNode l : data) assertThat(log).doesNotContain(l.get("key").asText()).contains(l.get("key_suffix").asText());
    }

    @Test
    void theWholeKeyCanBeReadAgainAtAnyTimeButIsKeptSealed() {
        Res issued = issue(api, account, plan, 1);
        String id = issued.json().at("/data/0/id").asText();
        String key = issued.json().at("/data/0/key").asText();
        assertThat(api.get("/v1/licenses/" + id).str("key")).isEqualTo(key);
        assertThat(api.get("/v1/accounts/" + account + "/licenses").json().at("/data/0/key").asText()).isEqualTo(key);

        var row = server.app.db.dsl().fetchOne("select * from licenses where id = ?", id);
        assertThat(row.formatCSV()).doesNotContain(key).doesNotContain(key.replace("-", ""));
        assertThat(row.get("key_hash", String.class)).isEqualTo(LicenseKey.hash(key));
        assertThat(new String(row.get("key_sealed", byte[].class), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(key);
    }

    @Test
    void assignNormalisesTheSiteAndUnassignMakesTheLicenseReusable() {
        String id = issueOne(api, account, plan);
        Res assigned = post("/v1/licenses/" + id + "/assign", "{\"site_url\":\"HTTPS://Example.COM/\"}");
        assertThat(assigned.status()).isEqualTo(200);
        assertThat(assigned.str("status")).isEqualTo("assigned");
        assertThat(assigned.str("site_url")).isEqualTo("https://example.com");

        Res unassigned = post("/v1/licenses/" + id + "/unassign", null);
        assertThat(unassigned.str("status")).isEqualTo("unassigned");
        assertThat(unassigned.str("site_url")).isNull();

        Res again = post("/v1/licenses/" + id + "/assign", "{\"site_url\":\"shop.example.org\"}");
        assertThat(again.str("site_url")).isEqualTo("https://shop.example.org");
        assertThat(events("license.assigned")).isEqualTo(2);
        assertThat(events("license.unassigned")).isEqualTo(1);
    }

    @Test
    void aSiteHoldsAtMostOneLiveLicenseOfAPlan() {
        String first = issueOne(api, account, plan);
        String second = issueOne(api, account, plan);
        post("/v1/licenses/" + first + "/assign", "{\"site_url\":\"https://example.com\"}");
        Res clash = post("/v1/licenses/" + second + "/assign", "{\"site_url\":\"https://EXAMPLE.com/\"}");
        assertThat(clash.status()).isEqualTo(409);
        assertThat(clash.code()).isEqualTo("site_already_licensed");
        // The tenant owns both licenses: its refusal names the one holding the site (a site's own call does not: SitesTest).
        assertThat(clash.str("detail")).isEqualTo("https://example.com already holds license " + first + " of this plan");
        assertThat(api.get("/v1/licenses/" + second).str("status")).isEqualTo("unassigned");

        // Another plan may license the same site; and once the first license goes, the site is free again.
        String otherPlan = Fixtures.licensePlan(api, "usd", 1500);
        String other = issueOne(api, account, otherPlan);
        assertThat(post("/v1/licenses/" + other + "/assign", "{\"site_url\":\"https://example.com\"}").status()).isEqualTo(200);
        post("/v1/licenses/" + first + "/revoke", null);
        assertThat(post("/v1/licenses/" + second + "/assign", "{\"site_url\":\"https://example.com\"}").status()).isEqualTo(200);
    }

    @Test
    void assigningAnAssignedLicenseIsRefused() {
        String id = issueOne(api, account, plan);
        post("/v1/licenses/" + id + "/assign", "{\"site_url\":\"https://example.com\"}");
        for (String site : new String[] {"https://example.com", "https://other.example"}) {
            Res twice = post("/v1/licenses/" + id + "/assign", "{\"site_url\":\"" + site + "\"}");
            assertThat(twice.status()).isEqualTo(409);
            assertThat(twice.code()).isEqualTo("license_already_assigned");
        }
        assertThat(api.get("/v1/licenses/" + id).str("site_url")).isEqualTo("https://example.com");
        assertThat(events("license.assigned")).isEqualTo(1);
        Res unassignTwice = post("/v1/licenses/" + issueOne(api, account, plan) + "/unassign", null);
        assertThat(unassignTwice.code()).isEqualTo("license_not_assigned");
    }

    @Test
    void revokingIsFinal() {
        String id = issueOne(api, account, plan);
        post("/v1/licenses/" + id + "/assign", "{\"site_url\":\"https://example.com\"}");
        Res revoked = post("/v1/licenses/" + id + "/revoke", null);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.str("status")).isEqualTo("revoked");
        assertThat(revoked.str("revoked_at")).isNotNull();
        for (String action : new String[] {"revoke", "unassign"}) {
            Res r = post("/v1/licenses/" + id + "/" + action, null);
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.code()).isEqualTo("license_revoked");
        }
        Res assign = post("/v1/licenses/" + id + "/assign", "{\"site_url\":\"https://other.example\"}");
        assertThat(assign.code()).isEqualTo("license_revoked");
        assertThat(events("license.revoked")).isEqualTo(1);
        assertThat(api.get("/v1/accounts/" + account + "/licenses?status=revoked").json().get("data")).hasSize(1);
        assertThat(api.get("/v1/accounts/" + account + "/licenses?status=assigned").json().get("data")).isEmpty();
    }

    @Test
    void issuingNeedsAPaymentMethod() {
        String bare = api.newAccount("No card", "usd", "UTC");
        Res r = issue(api, bare, plan, 1);
        assertThat(r.status()).isEqualTo(402);
        assertThat(r.code()).isEqualTo("payment_method_required");
        assertThat(api.get("/v1/accounts/" + bare + "/licenses").json().get("data")).isEmpty();
        assertThat(api.post("/v1/accounts/" + bare + "/bundles", "{\"plan\":\"" + plan + "\",\"size\":2}").code())
                .isEqualTo("payment_method_required");
    }

    @Test
    void aBlockedAccountCannotIssueUntilUnblocked() {
        server.app.accounts.setLicensesBlocked(api.tenant, account, true);
        Res refused = issue(api, account, plan, 1);
        assertThat(refused.status()).isEqualTo(402);
        assertThat(refused.code()).isEqualTo("licenses_blocked");
        assertThat(api.post("/v1/accounts/" + account + "/bundles", "{\"plan\":\"" + plan + "\",\"size\":2}").code())
                .isEqualTo("licenses_blocked");
        assertThat(api.get("/v1/accounts/" + account + "/licenses").json().get("data")).isEmpty();
        assertThat(events("account.licenses_blocked")).isEqualTo(1);

        server.app.accounts.setLicensesBlocked(api.tenant, account, false);
        assertThat(issue(api, account, plan, 1).status()).isEqualTo(200);
        assertThat(events("account.licenses_unblocked")).isEqualTo(1);
    }

    @Test
    void badIssuingInputChangesNothing() {
        String flat = Fixtures.flatPlan(api, "usd");
        String euroPlan = Fixtures.licensePlan(api, "eur", 900);
        Object[][] cases = {
                {"{\"plan\":\"" + plan + "\",\"quantity\":0}", 422, "parameter_invalid", "quantity"},
                {"{\"plan\":\"" + plan + "\",\"quantity\":10000}", 422, "parameter_invalid", "quantity"},
                {"{\"plan\":\"" + plan + "\",\"quantity\":\"3\"}", 422, "invalid_type", "quantity"},
                {"{\"quantity\":1}", 422, "parameter_missing", "plan"},
                {"{\"plan\":\"plan_nope\"}", 404, "resource_missing", "plan"},
                {"{\"plan\":\"" + flat + "\"}", 422, "plan_type_invalid", "plan"},
                {"{\"plan\":\"" + euroPlan + "\"}", 422, "currency_mismatch", "plan"},
                {"{\"plan\":\"" + plan + "\",\"site\":\"x\"}", 422, "unknown_field", "site"},
        };
        for (Object[] c : cases) {
            Res r = api.post("/v1/accounts/" + account + "/licenses", (String) c[0]);
            assertThat(r.status()).as((String) c[0]).isEqualTo(c[1]);
            assertThat(r.code()).as((String) c[0]).isEqualTo(c[2]);
            assertThat(r.str("field")).as((String) c[0]).isEqualTo(c[3]);
        }
        Res unknownAccount = issue(api, "acct_nope", plan, 1);
        assertThat(unknownAccount.status()).isEqualTo(404);
        assertThat(api.get("/v1/accounts/" + account + "/licenses").json().get("data")).isEmpty();
        assertThat(events("license.issued")).isZero();
    }

    @Test
    void malformedSiteUrlsAreRefused() {
        String id = issueOne(api, account, plan);
        for (String bad : new String[] {"", "ftp://example.com", "https://", "https://exa mple.com", "https://user:pw@example.com",
                "https://example.com/?q=1", "https://example.com/#top", "not a url"}) {
            Res r = post("/v1/licenses/" + id + "/assign", "{\"site_url\":" + tollgate.core.Json.write(bad) + "}");
            assertThat(r.status()).as(bad).isEqualTo(422);
            assertThat(r.code()).as(bad).isEqualTo("site_url_invalid");
            assertThat(r.str("field")).isEqualTo("site_url");
        }
        assertThat(api.get("/v1/licenses/" + id).str("status")).isEqualTo("unassigned");
    }

    /**
     * Decision 090: what no site's address holds is refused like any other bad URL: a port outside 1–65535, a host name
     * over 253 characters or with a label over 63 (in its ASCII form), a control or text-direction character anywhere,
     * as it is or percent-encoded in the path. The refusal does not quote such characters back.
     */
    @Test
    void siteUrlsNoSiteCouldHaveAreRefused() {
        String id = issueOne(api, account, plan);
        String longHost = ("a".repeat(62) + ".").repeat(4) + "example"; // 259 characters in labels of 62
        String[] bad = {"https://example.com:0", "https://example.com:65536", "https://example.com:99999", "example.com:0/shop",
                "https://" + longHost, "https://" + "a".repeat(64) + ".example", "https://" + "ü".repeat(60) + ".example",
                "https://exa\u202Emple.com", "https://example.com/\u202Egpj.exe", "https://example.com/\u2066shop",
                "https://example.com/shop\u200F", "\u200Ehttps://example.com", "https://example.com/\u061Cshop",
                "https://example.com/a%00b", "https://example.com/%E2%80%AEshop", "https://example.com/%0Ashop"};
        for (String url : bad) {
            Res r = post("/v1/licenses/" + id + "/assign", "{\"site_url\":" + tollgate.core.Json.write(url) + "}");
            assertThat(r.status()).as(url).isEqualTo(422);
            assertThat(r.code()).as(url).isEqualTo("site_url_invalid");
            assertThat(r.str("field")).as(url).isEqualTo("site_url");
            assertThat(r.str("detail")).as(url).doesNotContainPattern("[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]");
        }
        assertThat(api.get("/v1/licenses/" + id).str("status")).isEqualTo("unassigned");

        // The limits themselves are addresses.
        String longest = ("a".repeat(62) + ".").repeat(3) + "b".repeat(56) + ".example"; // 253 characters
        for (String[] good : new String[][] {{"https://example.com:65535/", "https://example.com:65535"},
                {"http://example.com:1", "http://example.com:1"}, {"https://" + longest, "https://" + longest},
                {"https://example.com/%20shop", "https://example.com/%20shop"}}) {
            String each = issueOne(api, account, plan);
            Res r = post("/v1/licenses/" + each + "/assign", "{\"site_url\":" + tollgate.core.Json.write(good[0]) + "}");
            assertThat(r.status()).as(good[0] + ": " + r.text()).isEqualTo(200);
            assertThat(r.str("site_url")).isEqualTo(good[1]);
        }
    }

    @Test
    void anInternationalisedSiteIsKeptInItsAsciiFormSoBothSpellingsAreOneSite() {
        String id = issueOne(api, account, plan);
        Res r = post("/v1/licenses/" + id + "/assign", "{\"site_url\":\"https://Bücher.example/Shop/\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.str("site_url")).isEqualTo("https://xn--bcher-kva.example/Shop");
        String key = r.str("key");
        for (String spelling : new String[] {"bücher.example/Shop", "https://xn--bcher-kva.example/Shop"}) {
            Res v = post("/v1/licenses/validate", "{\"key\":\"" + key + "\",\"site_url\":" + tollgate.core.Json.write(spelling) + "}");
            assertThat(v.status()).as(v.text()).isEqualTo(200);
            assertThat(v.json().get("valid").asBoolean()).as(spelling).isTrue();
        }
        assertThat(post("/v1/licenses/" + id + "/assign", "{\"site_url\":\"https://bü_cher.example\"}").code()).isEqualTo("site_url_invalid");
    }

    @Test
    void anotherTenantsLicensesAndKeysAreInvisible() {
        String id = issueOne(api, account, plan);
        ApiClient other = server.newTenant();
        assertThat(other.get("/v1/licenses/" + id).status()).isEqualTo(404);
        for (String action : new String[] {"revoke", "unassign"}) assertThat(other.post("/v1/licenses/" + id + "/" + action, null).status()).isEqualTo(404);
        assertThat(other.post("/v1/licenses/" + id + "/assign", "{\"site_url\":\"https://x.example\"}").status()).isEqualTo(404);
        assertThat(other.get("/v1/licenses/" + id + "/certificate").status()).isEqualTo(404);
        assertThat(other.get("/v1/accounts/" + account + "/licenses").status()).isEqualTo(404);
        assertThat(api.get("/v1/licenses/" + id).str("status")).isEqualTo("unassigned");
    }

    @Test
    void listsFilterByStatusAndRefuseUnknownStatuses() {
        issue(api, account, plan, 3);
        assertThat(api.get("/v1/accounts/" + account + "/licenses?status=unassigned").json().get("data")).hasSize(3);
        Res bad = api.get("/v1/accounts/" + account + "/licenses?status=lost");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.str("field")).isEqualTo("status");
    }
}

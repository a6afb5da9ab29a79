package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * POST /v1/portal_sessions on every database: the URL signs the account's owner in once, shows the way back to the
 * seller, is refused when used again or after 5 minutes of the tenant's clock; bad input changes nothing.
 */
class PortalSessionsApiTest {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    /** A browser without redirects: its own cookies. */
    record Visitor(HttpClient http, String origin) {
        Visitor(String origin) {
            this(HttpClient.newBuilder().cookieHandler(new CookieManager()).build(), origin);
        }

        HttpResponse<String> get(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(origin + path)).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> submit(String formPath, String action, Map<String, String> fields) throws Exception {
            Matcher m = CSRF.matcher(get(formPath).body());
            assertThat(m.find()).isTrue();
            Map<String, String> form = new LinkedHashMap<>(fields);
            form.put("_csrf", m.group(1));
            String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
            return http.send(HttpRequest.newBuilder(URI.create(origin + action)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static String path(String url) {
        return URI.create(url).getRawPath();
    }

    @ParameterizedTest
    @MethodSource("tollgate.testing.TestDatabase#available")
    void aPortalSessionSignsTheOwnerInOnceAndExpiresAfterFiveMinutes(TestDatabase database) throws Exception {
        TestServer server = TestServer.on(database);
        // Scenario.tenantAt: no idempotency purges queued from the real date up to 2030 to run on the first call.
        ApiClient api = tollgate.testing.Scenario.tenantAt(server, Instant.parse("2030-03-01T09:00:00Z"));
        String slug = "ps-" + Long.toString(System.nanoTime(), 36);
        server.app.tenants.setSlug(api.tenant.id(), slug);
        Visitor owner = new Visitor(server.baseUrl);
        String base = "/portal/" + slug + "/";
        assertThat(owner.submit(base + "signup", base + "signup", Map.of("company", "Seller's Customer Ltd", "contact_name", "Grace",
                "email", "grace@customer.example", "country", "GB", "timezone", "Europe/London",
                "password", "correct horse battery staple")).statusCode()).isEqualTo(303);
        var user = server.app.portalUsers.byEmail(api.tenant, "grace@customer.example").orElseThrow();

        ApiClient.Res r = api.post("/v1/portal_sessions", "{\"account\":\"" + user.accountId()
                + "\",\"return_url\":\"https://app.seller.example/settings?tab=billing\"}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.str("object")).isEqualTo("portal_session");
        assertThat(r.str("account")).isEqualTo(user.accountId());
        assertThat(r.str("user")).isEqualTo(user.id());
        assertThat(r.str("return_url")).isEqualTo("https://app.seller.example/settings?tab=billing");
        assertThat(r.str("created_at")).isEqualTo("2030-03-01T09:00:00Z");
        assertThat(r.str("expires_at")).isEqualTo("2030-03-01T09:05:00Z");
        assertThat(path(r.str("url"))).startsWith(base + "session/");

        Visitor browser = new Visitor(server.baseUrl);
        HttpResponse<String> opened = browser.get(path(r.str("url")));
        assertThat(opened.statusCode()).isEqualTo(303);
        assertThat(opened.headers().firstValue("Location")).hasValue(base + "dashboard");
        HttpResponse<String> dashboard = browser.get(base + "dashboard");
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("Customer Ltd").contains("href=\"https://app.seller.example/settings?tab=billing\"")
                .contains("Return to ");

        // Used once: a second browser (or the same one again) is refused with a clear page, nobody signed in.
        Visitor thief = new Visitor(server.baseUrl);
        HttpResponse<String> again = thief.get(path(r.str("url")));
        assertThat(again.statusCode()).isEqualTo(410);
        assertThat(again.body()).contains("This link no longer works");
        assertThat(thief.get(base + "dashboard").statusCode()).isEqualTo(303);

        // A new one, opened 5 minutes later by the tenant's clock: expired.
        ApiClient.Res late = api.post("/v1/portal_sessions", "{\"account\":\"" + user.accountId() + "\"}");
        assertThat(late.status()).isEqualTo(200);
        assertThat(late.json().get("return_url").isNull()).isTrue();
        assertThat(api.post("/v1/test_clock/advance", "{\"to\":\"2030-03-01T09:05:00Z\"}").status()).isEqualTo(200);
        assertThat(new Visitor(server.baseUrl).get(path(late.str("url"))).statusCode()).isEqualTo(410);
        ApiClient.Res inTime = api.post("/v1/portal_sessions", "{\"account\":\"" + user.accountId() + "\"}");
        assertThat(api.post("/v1/test_clock/advance", "{\"to\":\"2030-03-01T09:09:59Z\"}").status()).isEqualTo(200);
        assertThat(new Visitor(server.baseUrl).get(path(inTime.str("url"))).statusCode()).isEqualTo(303);
    }

    @ParameterizedTest
    @MethodSource("tollgate.testing.TestDatabase#available")
    void badInputIsRefusedAndNothingIsMade(TestDatabase database) {
        TestServer server = TestServer.on(database);
        ApiClient api = server.newTenant();
        String account = api.newAccount("No Users Yet", "USD", "UTC");
        ApiClient.Res noUser = api.post("/v1/portal_sessions", "{\"account\":\"" + account + "\"}");
        assertThat(noUser.status()).isEqualTo(409);
        assertThat(noUser.code()).isEqualTo("no_portal_user");
        assertThat(api.post("/v1/portal_sessions", "{\"account\":\"acct_nope\"}").status()).isEqualTo(404);
        assertThat(api.post("/v1/portal_sessions", "{}").status()).isEqualTo(422);
        for (String bad : new String[] {"javascript:alert(1)", "ftp://files.example/x", "/relative", "https://"}) {
            ApiClient.Res r = api.post("/v1/portal_sessions", "{\"account\":\"" + account + "\",\"return_url\":\"" + bad + "\"}");
            assertThat(r.status()).as(bad).isEqualTo(422);
            assertThat(r.code()).isEqualTo("parameter_invalid");
        }
        assertThat(server.app.db.dsl().fetchCount(server.app.db.dsl().selectFrom("portal_tokens")
                .where("tenant_id = ?", api.tenant.id()))).isZero();
    }
}

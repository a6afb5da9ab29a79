package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.TestClocks;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * The portal's sessions over plain HTTP on every database: stored hashed, ended by the idle and absolute timeouts,
 * by log-out and by log-out everywhere; a forged POST is refused. (The browser flows are in SigningInBrowserTest.)
 */
class PortalSessionsTest {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    /** One browser: its own cookies, no redirects followed. */
    private static final class Visitor {
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        final String base;

        Visitor(String base) {
            this.base = base;
        }

        HttpResponse<String> get(String page) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + page)).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String page, Map<String, String> form) throws Exception {
            String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
            return http.send(HttpRequest.newBuilder(URI.create(base + page)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** Posts the form the way the page does: with the token the page carries. */
        HttpResponse<String> submit(String formPage, String action, Map<String, String> fields) throws Exception {
            Matcher m = CSRF.matcher(get(formPage).body());
            assertThat(m.find()).as("a CSRF field on " + formPage).isTrue();
            Map<String, String> form = new LinkedHashMap<>(fields);
            form.put("_csrf", m.group(1));
            return post(action, form);
        }

        String session() {
            return ((CookieManager) http.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
                    .filter(c -> c.getName().equals("tg_portal")).map(java.net.HttpCookie::getValue).findFirst().orElse(null);
        }
    }

    private static String signUp(TestServer server, String slug, Visitor v, String email) throws Exception {
        HttpResponse<String> r = v.submit("signup", "signup", Map.of("company", "Sessions Ltd", "contact_name", "Ada",
                "email", email, "country", "GB", "timezone", "Europe/London", "password", "correct horse battery staple"));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/portal/" + slug + "/dashboard");
        return v.session();
    }

    private static String portal(TestServer server) {
        var created = server.app.tenants.create("Sessions tenant", tollgate.tenants.Tenant.Mode.TEST);
        String slug = "sessions-" + Long.toString(System.nanoTime(), 36);
        server.app.tenants.setSlug(created.tenant().id(), slug);
        return slug;
    }

    @ParameterizedTest
    @MethodSource("tollgate.testing.TestDatabase#available")
    void aSessionIsStoredOnlyAsAHashAndEndsAfterThirtyIdleMinutesOrTwelveHours(TestDatabase database) throws Exception {
        TestServer server = TestServer.on(database);
        String slug = portal(server);
        Visitor v = new Visitor(server.baseUrl + "/portal/" + slug + "/");
        String id = signUp(server, slug, v, "idle@sessions.example");
        assertThat(v.get("dashboard").statusCode()).isEqualTo(200);
        assertThat(server.app.db.dsl().fetchCount(server.app.db.dsl().selectFrom("web_sessions").where("id_hash = ?", id))).isZero();
        String hash = tollgate.web.Tokens.sha256(id);

        Instant now = TestClocks.SYSTEM.instant();
        server.app.db.dsl().execute("update web_sessions set last_seen_at = ? where id_hash = ?", now.minus(Duration.ofMinutes(29)), hash);
        assertThat(v.get("dashboard").statusCode()).isEqualTo(200);
        server.app.db.dsl().execute("update web_sessions set last_seen_at = ? where id_hash = ?", now.minus(Duration.ofMinutes(31)), hash);
        assertThat(v.get("dashboard").headers().firstValue("Location")).hasValue("/portal/" + slug + "/login");
        assertThat(server.app.db.dsl().fetchCount(server.app.db.dsl().selectFrom("web_sessions").where("id_hash = ?", hash))).isZero();

        v.submit("login", "login", Map.of("email", "idle@sessions.example", "password", "correct horse battery staple"));
        String second = tollgate.web.Tokens.sha256(v.session());
        assertThat(v.get("dashboard").statusCode()).isEqualTo(200);
        server.app.db.dsl().execute("update web_sessions set created_at = ? where id_hash = ?", now.minus(Duration.ofHours(12)), second);
        assertThat(v.get("dashboard").statusCode()).isEqualTo(303);
    }

    @ParameterizedTest
    @MethodSource("tollgate.testing.TestDatabase#available")
    void logOutEverywhereEndsTheSessionsOfEveryBrowser(TestDatabase database) throws Exception {
        TestServer server = TestServer.on(database);
        String slug = portal(server);
        String base = server.baseUrl + "/portal/" + slug + "/";
        Visitor laptop = new Visitor(base);
        Visitor phone = new Visitor(base);
        signUp(server, slug, laptop, "two@sessions.example");
        assertThat(phone.submit("login", "login", Map.of("email", "two@sessions.example",
                "password", "correct horse battery staple")).statusCode()).isEqualTo(303);
        assertThat(phone.get("dashboard").statusCode()).isEqualTo(200);

        // Without the token: refused, nothing ends.
        assertThat(laptop.post("logout-everywhere", Map.of()).statusCode()).isEqualTo(403);
        assertThat(phone.get("dashboard").statusCode()).isEqualTo(200);

        assertThat(laptop.submit("dashboard", "logout-everywhere", Map.of()).statusCode()).isEqualTo(303);
        assertThat(laptop.get("dashboard").statusCode()).isEqualTo(303);
        assertThat(phone.get("dashboard").statusCode()).isEqualTo(303);
    }
}

package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.Tollgate;
import tollgate.catalog.PlanDraft;
import tollgate.core.Paging;
import tollgate.tenants.Tenant;
import tollgate.testing.TestClocks;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Single-use form tokens across nodes (decision 040): two Tollgate servers on one database, as behind a load balancer,
 * and one browser whose session cookie both accept. A form sent to node A and sent again to node B acts once: one
 * bundle of licenses, one card.
 */
class FormTokensTest {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    /** One browser (one cookie jar, no redirects followed) that can send each request to either node. */
    private static final class Browser {
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

        HttpResponse<String> get(String url) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String url, Map<String, String> form) throws Exception {
            String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
            return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static String field(String html, Pattern p) {
        Matcher m = p.matcher(html);
        assertThat(m.find()).as("field " + p).isTrue();
        return m.group(1);
    }

    private static String hidden(String html, String name) {
        return field(html, Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\""));
    }

    @ParameterizedTest
    @MethodSource("tollgate.testing.TestDatabase#available")
    void aFormTokenUsedOnOneNodeIsRefusedOnTheOther(TestDatabase database) throws Exception {
        TestServer server = TestServer.on(database);
        var created = server.app.tenants.create("Two nodes", Tenant.Mode.TEST);
        Tenant tenant = created.tenant();
        String slug = "nodes-" + Long.toString(System.nanoTime(), 36);
        server.app.tenants.setSlug(tenant.id(), slug);
        String nodeA = server.baseUrl + "/portal/" + slug + "/";
        Browser browser = new Browser();
        HttpResponse<String> signedUp = browser.post(nodeA + "signup", Map.of("_csrf", field(browser.get(nodeA + "signup").body(), CSRF),
                "company", "Two Nodes Ltd", "contact_name", "Ada", "email", "ada@nodes.example", "country", "GB",
                "timezone", "Europe/London", "password", "correct horse battery staple"));
        assertThat(signedUp.statusCode()).isEqualTo(303);
        String account = server.app.portalUsers.byEmail(tenant, "ada@nodes.example").orElseThrow().accountId();
        server.app.paymentMethods.attach(tenant, account, "tok_visa", true);
        String currency = server.app.accounts.get(tenant, account).currency();
        String plan = server.app.plans.create(tenant, new PlanDraft("Site license", "license", currency, 900L, null, null, null,
                null, null, null, null)).id();

        try (Tollgate second = Tollgate.build(server.config, TestClocks.SYSTEM)) {
            String nodeB = "http://127.0.0.1:" + second.start(0) + "/portal/" + slug + "/";

            // The issue form, sent to A and then again (same token) to B: one bundle, and both answers lead to it.
            String issueForm = browser.get(nodeA + "licenses/issue").body();
            Map<String, String> issue = new LinkedHashMap<>(Map.of("_csrf", field(issueForm, CSRF), "plan", plan, "quantity", "3",
                    "token", hidden(issueForm, "token")));
            HttpResponse<String> onA = browser.post(nodeA + "licenses/issue", issue);
            HttpResponse<String> onB = browser.post(nodeB + "licenses/issue", issue);
            assertThat(onA.statusCode()).isEqualTo(303);
            assertThat(onB.statusCode()).isEqualTo(303);
            assertThat(onA.headers().firstValue("Location").orElseThrow()).contains("/licenses/new/bndl_");
            assertThat(onB.headers().firstValue("Location")).isEqualTo(onA.headers().firstValue("Location"));
            assertThat(server.app.licensing.counts(tenant, account).values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(3);

            // The add-card form, sent to A and again to B: one card more, not two.
            String cardForm = browser.get(nodeA + "payment-methods/new").body();
            Map<String, String> card = Map.of("_csrf", field(cardForm, CSRF), "form_token", hidden(cardForm, "form_token"),
                    "token", "tok_mastercard");
            assertThat(browser.post(nodeA + "payment-methods/new", card).statusCode()).isEqualTo(303);
            assertThat(browser.post(nodeB + "payment-methods/new", card).statusCode()).isEqualTo(303);
            assertThat(server.app.paymentMethods.list(tenant, account, new Paging(Paging.MAX_LIMIT, null)).data()).hasSize(2);

            // A fresh form still works on B: the token is what is single-use, not the node or the session.
            String again = browser.get(nodeB + "licenses/issue").body();
            HttpResponse<String> fresh = browser.post(nodeB + "licenses/issue", Map.of("_csrf", field(again, CSRF), "plan", plan,
                    "quantity", "1", "token", hidden(again, "token")));
            assertThat(fresh.headers().firstValue("Location").orElseThrow()).contains("/licenses/new/lic_");
            assertThat(server.app.licensing.counts(tenant, account).values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(4);
        }
    }
}

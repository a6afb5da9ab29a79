package tollgate.portal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tollgate.Config;
import tollgate.payments.StripeGateway;
import tollgate.payments.StripeStub;
import tollgate.tenants.Tenant;
import tollgate.testing.ApiClient;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * The server side of adding a card with Stripe (live mode), against the WireMock stub of Stripe's API: the add-card page
 * starts a SetupIntent on a Customer and loads Stripe.js under a CSP that allows Stripe's origins on that page only;
 * the finished SetupIntent's pm_ is attached through the same service as the API. The browser half (Stripe.js confirming
 * the card) cannot run here: js.stripe.com is out of reach.
 */
class StripeCardSetupTest {
    private static StripeStub stripe;
    private static TestServer.Client server;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, String> cookies = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        stripe = new StripeStub();
        server = TestServer.start(TestDatabase.H2, c -> c.withStripe(new Config.StripeSettings("sk_test_tollgate", stripe.apiBase())));
        server.app().portalPayments.usePublishableKey("pk_test_tollgate");
    }

    @AfterAll
    static void stop() {
        server.close();
        stripe.close();
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        if (!cookies.isEmpty())
            b.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        for (String c : r.headers().allValues("Set-Cookie")) {
            String pair = c.split(";", 2)[0];
            cookies.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        return r;
    }

    private HttpResponse<String> getPage(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + url)).GET());
    }

    private HttpResponse<String> postForm(String url, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(base() + url)).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", base()).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static String hidden(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as(name + " in " + html).isTrue();
        return m.group(1);
    }

    private static void setupIntent(String id, String status, String pm, String account) {
        stripe.server.stubFor(get(urlPathEqualTo("/v1/setup_intents/" + id)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"" + id + "\",\"object\":\"setup_intent\",\"status\":\""
                        + status + "\",\"payment_method\":" + (pm == null ? "null" : "\"" + pm + "\"")
                        + ",\"customer\":\"" + StripeStub.CUSTOMER + "\",\"usage\":\"off_session\",\"metadata\":{\""
                        + StripeGateway.METADATA_ACCOUNT + "\":\"" + account + "\"}}")));
    }

    @Test
    void theAddCardPageStartsASetupIntentAndItsCardIsAttachedThroughTheService() throws Exception {
        ApiClient live = server.newTenant(Tenant.Mode.LIVE);
        String slug = "stripe-" + Long.toString(System.nanoTime(), 36);
        server.app().tenants.setSlug(live.tenant.id(), slug);
        String portal = "/portal/" + slug + "/";

        String signup = getPage(portal + "signup").body();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_csrf", hidden(signup, "_csrf"));
        form.putAll(Map.of("company", "Live Shop", "contact_name", "Ada Lovelace", "email", "ada@live.example",
                "password", PaymentCustomers.PASSWORD, "country", "DE", "timezone", "Europe/Berlin", "address_line1", "Friedrichstraße 12",
                "city", "Berlin", "postal_code", "10117"));
        HttpResponse<String> signed = postForm(portal + "signup", form);
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(303);
        String account = server.app().portalUsers.byEmail(live.tenant, "ada@live.example").orElseThrow().accountId();
        String accountKey = live.tenant.id() + "/" + account;

        stripe.server.stubFor(post(urlPathEqualTo("/v1/customers")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"" + StripeStub.CUSTOMER + "\",\"object\":\"customer\",\"email\":\"ada@live.example\"}")));
        stripe.server.stubFor(post(urlPathEqualTo("/v1/setup_intents")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"seti_1Live\",\"object\":\"setup_intent\","
                        + "\"client_secret\":\"seti_1Live_secret_abc\",\"status\":\"requires_payment_method\"}")));

        HttpResponse<String> page = getPage(portal + "payment-methods/new?return=licenses/issue");
        assertThat(page.statusCode()).isEqualTo(200);
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("script-src 'self' https://js.stripe.com;").contains("frame-src https://js.stripe.com https://hooks.stripe.com")
                .contains("connect-src 'self' https://api.stripe.com;").contains("frame-ancestors 'none'");
        assertThat(page.body()).contains("<script src=\"https://js.stripe.com/v3\"></script>")
                .contains("data-client-secret=\"seti_1Live_secret_abc\"").contains("data-publishable-key=\"pk_test_tollgate\"")
                .doesNotContain("name=\"card").doesNotContain("tok_visa");
        Map<String, String> setup = StripeStub.form(stripe.server.findAll(postRequestedFor(urlPathEqualTo("/v1/setup_intents"))).getFirst());
        assertThat(setup).containsEntry("customer", StripeStub.CUSTOMER).containsEntry("usage", "off_session")
                .containsEntry("metadata[" + StripeGateway.METADATA_ACCOUNT + "]", accountKey);
        // Every other page keeps the strict policy.
        assertThat(getPage(portal + "payment-methods").headers().firstValue("Content-Security-Policy").orElseThrow())
                .doesNotContain("stripe");
        String script = Pattern.compile("src=\"(" + Pattern.quote(portal) + "card-setup-[0-9a-f]{12}\\.js)\"").matcher(page.body())
                .results().findFirst().orElseThrow().group(1);
        assertThat(getPage(script).body()).contains("confirmCardSetup");

        // Another account's SetupIntent is refused; nothing is attached.
        setupIntent("seti_1Other", "succeeded", "pm_1Other", live.tenant.id() + "/acct_someone_else");
        Map<String, String> add = new LinkedHashMap<>(Map.of("_csrf", hidden(page.body(), "_csrf"), "setup_intent", "seti_1Other",
                "form_token", hidden(page.body(), "form_token"), "return", "licenses/issue"));
        HttpResponse<String> refused = postForm(portal + "payment-methods/new", add);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("started for another account");
        assertThat(live.get("/v1/accounts/" + account + "/payment_methods").json().get("data")).isEmpty();

        // The account's own confirmed SetupIntent: its card is attached and the user goes back where they came from.
        setupIntent("seti_1Live", "succeeded", "pm_1LiveCard", accountKey);
        stripe.card("pm_1LiveCard", "visa", "4242", 11, 2031);
        add.put("setup_intent", "seti_1Live");
        add.put("form_token", hidden(refused.body(), "form_token"));
        HttpResponse<String> added = postForm(portal + "payment-methods/new", add);
        assertThat(added.statusCode()).as(added.body()).isEqualTo(303);
        assertThat(added.headers().firstValue("Location").orElseThrow()).isEqualTo(portal + "licenses/issue");
        ApiClient.Res cards = live.get("/v1/accounts/" + account + "/payment_methods");
        assertThat(cards.json().get("data")).hasSize(1);
        assertThat(cards.json().at("/data/0/last4").asText()).isEqualTo("4242");
        assertThat(cards.json().at("/data/0/primary").asBoolean()).isTrue();
    }
}

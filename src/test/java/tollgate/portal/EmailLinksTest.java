package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.notify.Composer;
import tollgate.notify.Email;
import tollgate.notify.MailLanguage;
import tollgate.notify.Notification;
import tollgate.notify.Samples;
import tollgate.tenants.TenantProfile;
import tollgate.testing.ApiClient;
import tollgate.testing.Fixtures;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Every link an email carries leads to a page the server has (decision 091): each message of the language file,
 * composed with the server's address, its links requested from the running server by a signed-out visitor, who must
 * meet a page, the sign-in page or the page of a spent link — never a 404. And the links of a real dunning email, opened
 * by its account's signed-in owner, show that account's invoice and cards.
 */
class EmailLinksTest {
    private static final Pattern TEXT_LINK = Pattern.compile("https?://[^\\s<>\"]+");
    private static final Pattern HREF = Pattern.compile("href=\"([^\"]+)\"");
    private final HttpClient http = HttpClient.newHttpClient();

    private static String slugFor(TestServer server, ApiClient api) {
        String slug = "links-" + Long.toString(System.nanoTime(), 36);
        server.app.tenants.setSlug(api.tenant.id(), slug);
        return slug;
    }

    /** The links of both parts, in the order met: the text's addresses and the HTML's hrefs (unescaped). */
    private static Set<String> links(Email email) {
        Set<String> out = new LinkedHashSet<>();
        Matcher t = TEXT_LINK.matcher(email.text());
        while (t.find()) out.add(t.group().replaceAll("[).,:;!?]+$", ""));  // the sentence's, not the address's
        Matcher h = HREF.matcher(email.html());
        while (h.find()) out.add(h.group(1).replace("&amp;", "&"));
        return out;
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @MethodSource("tollgate.testing.TestDatabase#available")
    void everyLinkOfEveryMessageLeadsAVisitorToAPageTheServerHas(TestDatabase database) throws Exception {
        TestServer server = TestServer.on(database);
        ApiClient api = server.newTenant();
        String slug = slugFor(server, api);
        Composer composer = new Composer(MailLanguage.load("en"), server.baseUrl, "billing@tollgate.example");
        TenantProfile s = Samples.tenant();
        Composer.Context context = new Composer.Context(new TenantProfile(s.id(), s.name(), s.mode(), s.company(), s.dunningPolicy(),
                s.gateway(), slug, s.branding()), "Acme Agency", ZoneId.of("Europe/Berlin"), null);
        String portal = "/portal/" + slug + "/";

        Set<String> messages = new TreeSet<>();
        Map<String, String> answers = new LinkedHashMap<>();
        for (Map.Entry<String, Notification> e : Samples.all(slug).entrySet()) {
            Notification n = e.getValue();
            messages.add(composer.messageOf(n));
            for (String link : links(composer.compose(n, context))) {
                if (link.startsWith("mailto:")) continue;
                if (!link.startsWith(server.baseUrl + "/")) {
                    // Only what the message is about (a webhook endpoint's address) may point elsewhere.
                    assertThat(n.data().values()).as(e.getKey() + ": a link off the server").contains(link);
                    continue;
                }
                HttpResponse<String> r = get(link);
                String location = r.headers().firstValue("Location").orElse("");
                String path = URI.create(link).getPath();
                String where = r.statusCode() == 200 ? "a page"
                        : r.statusCode() == 303 && (location.equals(portal + "login") || location.equals("/console/login")) ? "sign in"
                        : r.statusCode() == 410 ? "a spent link" : r.statusCode() + " " + location;
                answers.put(e.getKey() + " " + path, where);
            }
        }
        // The samples are every message of the file: a new message without a sample would go unchecked.
        assertThat(messages).isEqualTo(new TreeSet<>(composer.language().messages()));
        assertThat(answers).isNotEmpty().allSatisfy((link, where) ->
                assertThat(where).as(link).isIn("a page", "sign in", "a spent link"));
        assertThat(answers).containsEntry("payment_failed_1 " + portal + "payment-methods", "sign in")
                .containsEntry("payment_failed_1 " + portal + "invoices/inv_sample", "sign in");
    }

    @ParameterizedTest
    @MethodSource("tollgate.testing.TestDatabase#available")
    void theLinksOfADunningEmailShowItsAccountsInvoiceAndCardsToItsOwner(TestDatabase database) throws Exception {
        TestServer server = TestServer.on(database);
        ApiClient api = Scenario.tenantAt(server, Instant.parse("2029-12-10T09:00:00Z"));
        String slug = slugFor(server, api);
        PortalVisitor owner = new PortalVisitor(server.baseUrl + "/portal/" + slug + "/")
                .signUp("Northwind Studio", "ada@northwind.example", "correct horse battery staple");
        String account = server.app.portalUsers.byEmail(api.tenant, "ada@northwind.example").orElseThrow().accountId();
        var invoice = Fixtures.declinedFirstInvoice(api, account);

        Email unpaid = PortalMail.latest(server.app, api.tenant, "invoice_unpaid", "ada@northwind.example");
        Set<String> paths = new LinkedHashSet<>();
        for (String link : links(unpaid)) paths.add(URI.create(link).getPath());
        assertThat(paths).contains("/portal/" + slug + "/invoices/" + invoice.get("id").asText(), "/portal/" + slug + "/payment-methods");
        for (String path : paths) {
            HttpResponse<String> r = owner.send(HttpRequest.newBuilder(URI.create(server.baseUrl + path)));
            assertThat(r.statusCode()).as(path).isEqualTo(200);
        }
        HttpResponse<String> pay = owner.send(HttpRequest.newBuilder(URI.create(server.baseUrl + "/portal/" + slug + "/invoices/"
                + invoice.get("id").asText())));
        assertThat(pay.body()).contains(invoice.get("number").asText(), "$6.39");
    }
}

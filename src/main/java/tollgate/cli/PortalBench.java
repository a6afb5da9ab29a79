package tollgate.cli;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tollgate.Tollgate;
import tollgate.catalog.PlanDraft;
import tollgate.tenants.Tenant;

/**
 * {@code tollgate bench portal}: one portal account with N licenses (assigned, unassigned and revoked), a user signed
 * in over HTTP, and each page of {@link #PAGES} requested one after the other on loopback; prints p50/p95/p99 per page.
 * The time is the whole request as the client sees it, so it bounds the server's render time from above.
 */
@Command(name = "portal", description = "Time the portal's pages for an account with many licenses (p50/p95/p99 per page).")
final class PortalBench implements Callable<Integer> {
    /** A page to time: its label and its address under the portal (a new page is one line here). */
    record Target(String label, String path) {}

    static final List<Target> PAGES = List.of(
            new Target("dashboard", "dashboard"),
            new Target("dashboard page 2", "dashboard?page=2"),
            new Target("licenses (all)", "licenses"),
            new Target("licenses assigned", "licenses?tab=assigned"),
            new Target("licenses unassigned", "licenses?tab=unassigned"),
            new Target("licenses revoked", "licenses?tab=revoked"),
            new Target("licenses search site", "licenses?q=site-77"),
            new Target("licenses search key", "licenses?q={key}"),
            new Target("licenses page 2", "licenses?page=2"),
            new Target("licenses assigned page 2", "licenses?tab=assigned&page=2"),
            new Target("licenses page 100", "licenses?page=100"),
            new Target("issue form", "licenses/issue"),
            new Target("billing", "billing"),
            new Target("payment methods", "payment-methods"),
            new Target("invoices", "invoices"),
            new Target("invoices page 2", "invoices?page=2"),
            new Target("one invoice", "invoices/{invoice}"),
            new Target("company details", "company"),
            new Target("users", "users"));

    @Option(names = "--licenses", defaultValue = "10000", description = "Licenses of the account (default 10000).")
    int licenses;

    @Option(names = "--requests", defaultValue = "500", description = "Timed requests per page (default 500).")
    int requests;

    @Option(names = "--warmup", defaultValue = "100", description = "Untimed requests per page first (default 100).")
    int warmup;

    @Option(names = "--months", defaultValue = "24", description = "Months of invoices before the licenses are issued (default 24).")
    int months;

    @Option(names = "--only", description = "Time only the pages whose label contains this text (e.g. billing).")
    String only;

    @Option(names = "--rounds", defaultValue = "1", description = "Time every page this many times over (the last round is the one to read).")
    int rounds;

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Override
    public Integer call() throws Exception {
        try (Tollgate app = Tollgate.build(Cli.config(), Clock.systemUTC())) {
            Tenant tenant = app.tenants.create("Portal bench", Tenant.Mode.TEST).tenant();
            String slug = "bench-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
            app.tenants.setSlug(tenant.id(), slug);
            String base = "http://127.0.0.1:" + app.start(0) + "/portal/" + slug + "/";
            HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();

            // Sign up through the pages, as a person would: the account, its owner and a session cookie.
            String email = "owner@" + slug + ".example";
            String form = get(http, base + "signup").body();
            HttpResponse<String> signedUp = post(http, base + "signup", Map.of("_csrf", csrf(form), "company", "Bench Agency",
                    "contact_name", "Bench Owner", "email", email, "country", "US", "address_line1", "1 Main St", "city", "Springfield",
                    "postal_code", "12345", "timezone", "UTC", "password", "bench password long enough"));
            if (signedUp.statusCode() != 303) throw new IllegalStateException("sign-up answered " + signedUp.statusCode() + ": " + signedUp.body());
            String account = app.portalUsers.byEmail(tenant, email).orElseThrow().accountId();
            String currency = app.accounts.get(tenant, account).currency();
            app.paymentMethods.attach(tenant, account, "tok_visa", false);
            String plan = app.plans.create(tenant, new PlanDraft("Bench license", "license", currency, 900L, null, null, null, null,
                    null, null, null)).id();

            long seedStart = System.nanoTime();
            String someSuffix = null;
            for (int left = licenses; left > 0; left -= 1000) {
                int size = Math.min(1000, left);
                var issued = size >= 2 ? app.licensing.issueBundle(tenant, account, plan, size).licenses()
                        : app.licensing.issue(tenant, account, plan, 1);
                someSuffix = issued.get(0).keySuffix();
            }
            // Most licenses on a site, some revoked, the rest unassigned: one statement each (what is measured is reading).
            app.db.dsl().execute("update licenses set status = 'assigned', site_url = 'https://site-' || substr(id, 5) || '.example', "
                    + "live_site = 'https://site-' || substr(id, 5) || '.example' where tenant_id = ? and account_id = ? and "
                    + "mod(ascii(substr(key_suffix, 5, 1)), 10) < 7", tenant.id(), account);
            app.db.dsl().execute("update licenses set status = 'revoked', live_site = null, revoked_at = issued_at where tenant_id = ? "
                    + "and account_id = ? and status = 'unassigned' and mod(ascii(substr(key_suffix, 4, 1)), 3) = 0", tenant.id(), account);
            // Then months of invoices: a flat subscription beside the licenses and a few users, billed month after month
            // on the tenant's test clock (each invoice paid by the sandbox card): every monthly invoice has a line per license.
            String flat = app.plans.create(tenant, new PlanDraft("Bench hosting", "flat", currency, 2900L, "month", null, null, null,
                    null, null, null)).id();
            app.subscriptions.subscribe(tenant, account, flat, null, null);
            var owner = app.portalUsers.byEmail(tenant, email).orElseThrow();
            app.portalUsers.markVerified(tenant, owner.id());
            owner = app.portalUsers.get(tenant, owner.id()).orElseThrow();
            for (int i = 0; i < 4; i++)
                app.portalLinks.invite(tenant, owner, "member" + i + "@" + slug + ".example", tollgate.accounts.PortalUser.Role.MEMBER,
                        "/portal/" + slug + "/");
            java.time.Instant at = app.testClock.now(tenant);
            for (int m = 0; m < months; m++) {
                at = at.atOffset(java.time.ZoneOffset.UTC).plusMonths(1).toInstant();
                app.testClock.advance(tenant, at);
            }
            ConsoleBench.vacuumAnalyze(app, List.of("accounts", "licenses", "subscriptions", "invoices", "invoice_lines", "payments", "portal_users"));
            var counts = app.licensing.counts(tenant, account);
            System.out.printf("account %s: %s licenses and %d months billed, seeded in %.1f s; %d timed requests per page after %d warm-up%n", account, counts, months,
                    (System.nanoTime() - seedStart) / 1e9, requests, warmup);

            String invoice = app.invoices.list(tenant, account, new tollgate.core.Paging(1, null)).data().get(0).id();
            System.out.printf("%d invoices (newest %s), 1 user and 4 invitations%n", app.invoices.list(tenant, account,
                    new tollgate.core.Paging(tollgate.core.Paging.MAX_LIMIT, null)).data().size(), invoice);
            for (int round = 1; round <= rounds; round++) {
                if (rounds > 1) System.out.println("round " + round + " of " + rounds);
                System.out.printf("%-28s %8s %8s %8s %8s%n", "page", "p50 ms", "p95 ms", "p99 ms", "max ms");
                for (Target t : PAGES) {
                    if (only != null && !t.label().contains(only)) continue;
                    String url = base + t.path().replace("{key}", someSuffix).replace("{invoice}", invoice);
                    for (int i = 0; i < warmup; i++) ok(get(http, url), url);
                    long[] nanos = new long[requests];
                    for (int i = 0; i < requests; i++) {
                        long s = System.nanoTime();
                        ok(get(http, url), url);
                        nanos[i] = System.nanoTime() - s;
                    }
                    Arrays.sort(nanos);
                    System.out.printf("%-28s %8.1f %8.1f %8.1f %8.1f%n", t.label(), pct(nanos, 50), pct(nanos, 95), pct(nanos, 99),
                            nanos[nanos.length - 1] / 1e6);
                }
            }
        }
        return 0;
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    private static void ok(HttpResponse<String> r, String url) {
        if (r.statusCode() != 200) throw new IllegalStateException(url + " answered " + r.statusCode());
    }

    private static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        if (!m.find()) throw new IllegalStateException("no CSRF field in the sign-up form");
        return m.group(1);
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient http, String url, Map<String, String> fields) throws Exception {
        StringBuilder body = new StringBuilder();
        for (var e : new LinkedHashMap<>(fields).entrySet()) {
            if (!body.isEmpty()) body.append('&');
            body.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }
}

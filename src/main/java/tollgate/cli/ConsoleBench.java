package tollgate.cli;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.Record;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tollgate.Tollgate;
import tollgate.bench.ConsoleSeeding;
import tollgate.tenants.Tenant;

/**
 * {@code tollgate bench console} (issue 14 point 10): a test tenant with N accounts and a year of invoices
 * ({@link ConsoleSeeding}), a staff member signed in over HTTP, then the console's home page and its account search
 * (by name, one word of a name, email, account id, site, the last block of a license key, and a miss) each requested
 * one after the other on loopback; prints p50/p95/max per page. The time is the whole request as the client sees it.
 */
@Command(name = "console", description = "Time the console's home page and account search for a tenant with many accounts (p50/p95/max).")
final class ConsoleBench implements Callable<Integer> {
    @Option(names = "--accounts", defaultValue = "100000", description = "Accounts of the tenant (default 100000).")
    int accounts;

    @Option(names = "--requests", defaultValue = "200", description = "Timed requests per page (default 200).")
    int requests;

    @Option(names = "--warmup", defaultValue = "50", description = "Untimed requests per page first (default 50).")
    int warmup;

    @Option(names = "--rounds", defaultValue = "1", description = "Time every page this many times over (the last round is the one to read).")
    int rounds;

    @Option(names = "--seed", defaultValue = "14", description = "Seed of the generated data (default 14).")
    long seed;

    @Option(names = "--tenant", description = "Time an existing tenant seeded by an earlier run (its id) instead of seeding a new one.")
    String tenantId;

    @Option(names = "--only", description = "Time only the pages whose label contains this text (e.g. search).")
    String only;

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final String PASSWORD = "bench password long enough";

    record Target(String label, String path) {}

    @Override
    public Integer call() throws Exception {
        try (Tollgate app = Tollgate.build(Cli.config(), Clock.systemUTC())) {
            Tenant tenant;
            if (tenantId == null) {
                tenant = app.tenants.create("Console bench", Tenant.Mode.TEST).tenant();
                Instant now = app.testClock.now(tenant);
                long start = System.nanoTime();
                ConsoleSeeding.Seeded s = ConsoleSeeding.seed(app, tenant, accounts, now, seed);
                System.out.printf("tenant %s at %s: seeded in %.1f s: %d accounts, %d licenses, %d subscriptions, %d invoices, %d payments, "
                        + "%d payment attempts, %d dunning steps%n", tenant.id(), now, (System.nanoTime() - start) / 1e9, s.accounts(), s.licenses(),
                        s.subscriptions(), s.invoices(), s.payments(), s.attempts(), s.dunningSteps());
                vacuumAnalyze(app, List.of("accounts", "licenses", "subscriptions", "invoices", "payments", "payment_attempts", "dunning_steps"));
            } else {
                tenant = app.tenants.get(tenantId);
            }
            String slug = "cbench-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
            app.tenants.setSlug(tenant.id(), slug);
            String email = "owner@" + slug + ".example";
            app.staff.create(tenant, email, "Bench Owner", tollgate.staff.StaffRole.OWNER, tollgate.web.Passwords.hash(PASSWORD));
            String base = "http://127.0.0.1:" + app.start(0) + "/console/";
            HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
            String form = get(http, base + "login?workspace=" + slug).body();
            HttpResponse<String> in = post(http, base + "login", "_csrf=" + enc(csrf(form)) + "&workspace=" + enc(slug) + "&email=" + enc(email)
                    + "&password=" + enc(PASSWORD));
            if (in.statusCode() != 303 || !in.headers().firstValue("location").orElse("").endsWith("/console/home"))
                throw new IllegalStateException("sign-in answered " + in.statusCode() + " " + in.headers().firstValue("location").orElse(""));

            List<Target> pages = targets(app, tenant);
            for (Target t : pages) System.out.printf("  %-22s %s%n", t.label(), t.path());
            for (int round = 1; round <= rounds; round++) {
                System.out.printf("round %d of %d, %d timed requests per page after %d warm-up; load average %s%n", round, rounds, requests, warmup, load());
                System.out.printf("%-24s %8s %8s %8s %8s %6s%n", "page", "p50 ms", "p95 ms", "max ms", "KiB", "rows");
                for (Target t : pages) {
                    if (only != null && !t.label().contains(only)) continue;
                    String url = base + t.path();
                    String body = "";
                    for (int i = 0; i < warmup; i++) body = ok(get(http, url), url);
                    long[] nanos = new long[requests];
                    for (int i = 0; i < requests; i++) {
                        long s = System.nanoTime();
                        body = ok(get(http, url), url);
                        nanos[i] = System.nanoTime() - s;
                    }
                    Arrays.sort(nanos);
                    System.out.printf("%-24s %8.1f %8.1f %8.1f %8d %6s%n", t.label(), pct(nanos, 50), pct(nanos, 95), nanos[nanos.length - 1] / 1e6,
                            body.length() / 1024, t.path().startsWith("accounts") ? String.valueOf(rows(body)) : "");
                }
            }
            System.out.println("load average after: " + load());
        }
        return 0;
    }

    /** The home page, then a search of each kind for a real account's name, email, id, site and key ending, and a miss. */
    private static List<Target> targets(Tollgate app, Tenant tenant) {
        var dsl = app.db.dsl();
        int n = dsl.fetchOne("select count(*) from accounts where tenant_id = ?", tenant.id()).get(0, Integer.class);
        Record a = dsl.fetchOne("select id, name, email from accounts where tenant_id = ? order by id limit 1 offset ?", tenant.id(), n / 2);
        Record site = dsl.fetchOne("select min(site_url) from licenses where tenant_id = ? and site_url is not null and account_id = "
                + "(select id from accounts where tenant_id = ? order by id limit 1 offset ?)", tenant.id(), tenant.id(), n / 3);
        String host = site.get(0, String.class).replaceFirst("^https://(www\\.|shop\\d\\.)?", "").replaceFirst("\\.example$", "");
        String suffix = dsl.fetchOne("select key_suffix from licenses where tenant_id = ? and account_id = (select id from accounts "
                + "where tenant_id = ? order by id limit 1 offset ?) order by id limit 1", tenant.id(), tenant.id(), n / 4).get(0, String.class);
        String name = a.get("name", String.class);
        List<Target> out = new ArrayList<>();
        out.add(new Target("home", "home"));
        out.add(new Target("accounts (no search)", "accounts"));
        out.add(new Target("search name", "accounts?q=" + enc(name)));
        out.add(new Target("search name word", "accounts?q=" + enc(name.split(" ")[1].toLowerCase(java.util.Locale.ROOT))));
        out.add(new Target("search email", "accounts?q=" + enc(a.get("email", String.class))));
        out.add(new Target("search account id", "accounts?q=" + enc(a.get("id", String.class))));
        out.add(new Target("search site", "accounts?q=" + enc(host)));
        out.add(new Target("search key ending", "accounts?q=" + enc(suffix)));
        out.add(new Target("search miss", "accounts?q=" + enc("zq9nosuch")));
        return out;
    }

    private static final Pattern ROW = Pattern.compile("data-label=\"Id\"");

    /** Result rows on an accounts page (for a glance that each search found what it should). */
    private static int rows(String html) {
        Matcher m = ROW.matcher(html);
        int c = 0;
        while (m.find()) c++;
        return c;
    }

    private static String load() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    private static String ok(HttpResponse<String> r, String url) {
        if (r.statusCode() != 200) throw new IllegalStateException(url + " answered " + r.statusCode());
        return r.body();
    }

    private static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        if (!m.find()) throw new IllegalStateException("no CSRF field in the sign-in form");
        return m.group(1);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient http, String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * On PostgreSQL, what autovacuum would have done long before anyone looked at seeded tables (it is off on this
     * machine): statistics, without which the planner guesses one row and picks any index, and the visibility map
     * that lets an index answer alone (docs/BENCHMARKS.md, "Billing run", says the same).
     */
    static void vacuumAnalyze(Tollgate app, List<String> tables) {
        if (app.db.dialect().family() != org.jooq.SQLDialect.POSTGRES) return;
        long a = System.nanoTime();
        for (String t : tables) app.db.dsl().execute("vacuum analyze " + t);
        System.out.printf("vacuum analyze: %.1f s%n", (System.nanoTime() - a) / 1e9);
    }
}

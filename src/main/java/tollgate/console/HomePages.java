package tollgate.console;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tollgate.core.MonthBuckets;
import tollgate.core.Futures;
import tollgate.dunning.DunningFigures;
import tollgate.invoicing.AmountFormat;
import tollgate.invoicing.InvoiceFigures;
import tollgate.licensing.LicenseFigures;
import tollgate.payments.PaymentFigures;
import tollgate.subscriptions.SubscriptionFigures;
import tollgate.tenants.Tenant;
import tollgate.web.Web;

/**
 * The console's home (issue 14 point 2, decision 046): this month's invoiced, collected, outstanding and past-due
 * amounts, MRR and its change against last month, per currency; accounts in dunning by step; subscriptions canceled
 * this month; twelve months of MRR and collections as server-drawn SVG charts with their tables. The figures come from
 * the capabilities' read models (aggregate SQL); this class only formats them.
 */
public final class HomePages implements ConsolePages {
    static final int MONTHS = 12;
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("MMM", Locale.ENGLISH);

    /** The read models the home page shows. */
    public record Figures(InvoiceFigures invoices, PaymentFigures payments, SubscriptionFigures subscriptions,
                          LicenseFigures licenses, DunningFigures dunning) {}

    private final Figures f;

    public HomePages(Figures figures) {
        this.f = figures;
    }

    @Override
    public void routes(Console console, Web.Router router) {
        router.get("/console/home", ctx -> home(console, ctx));
    }

    private void home(Console console, Context ctx) {
        ConsoleRequest req = console.signedIn(ctx);
        Tenant tenant = req.tenant();
        Instant asOf = f.invoices().asOf(tenant);
        MonthBuckets months = MonthBuckets.lastMonths(asOf, MONTHS);
        // The figures are independent reads: side by side, each on its own connection (decision 050).
        InvoiceFigures.Month month;
        Map<String, long[]> collected;
        Map<String, long[]> mrr;
        List<DunningFigures.AtStep> atSteps;
        int churned;
        try (ExecutorService reads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<InvoiceFigures.Month> monthRead = reads.submit(() -> f.invoices().thisMonth(tenant, asOf));
            Future<Map<String, long[]>> collectedRead = reads.submit(() -> f.payments().collected(tenant, months));
            Future<Map<String, long[]>> subscriptionsRead = reads.submit(() -> f.subscriptions().mrr(tenant, months));
            Future<Map<String, long[]>> licensesRead = reads.submit(() -> f.licenses().mrr(tenant, months));
            Future<List<DunningFigures.AtStep>> stepsRead = reads.submit(() -> f.dunning().byStep(tenant));
            Future<Integer> churnedRead = reads.submit(() -> f.subscriptions().canceled(tenant, MonthBuckets.start(YearMonth.from(asOf.atZone(ZoneOffset.UTC))), asOf));
            month = Futures.result(monthRead);
            collected = Futures.result(collectedRead);
            mrr = sum(Futures.result(subscriptionsRead), Futures.result(licensesRead));
            atSteps = Futures.result(stepsRead);
            churned = Futures.result(churnedRead);
        }
        TreeSet<String> currencies = new TreeSet<>();
        currencies.addAll(month.invoiced().keySet());
        currencies.addAll(month.outstanding().keySet());
        currencies.addAll(collected.keySet());
        currencies.addAll(mrr.keySet());
        List<BoardViews.CurrencyFigures> cards = new ArrayList<>();
        List<BoardViews.ChartBlock> charts = new ArrayList<>();
        List<String> labels = months.months().stream().map(m -> SHORT.format(m)).toList();
        for (String c : currencies) {
            long[] m = mrr.getOrDefault(c, new long[MONTHS]);
            long[] in = collected.getOrDefault(c, new long[MONTHS]);
            long now = m[MONTHS - 1];
            long before = m[MONTHS - 2];
            cards.add(new BoardViews.CurrencyFigures(c.toUpperCase(Locale.ROOT), money(month.invoiced(), c), AmountFormat.withSymbol(in[MONTHS - 1], c),
                    money(month.outstanding(), c), money(month.pastDue(), c), AmountFormat.withSymbol(now, c), change(now, before, c),
                    now > before ? "up" : now < before ? "down" : "flat"));
            String code = c.toUpperCase(Locale.ROOT);
            charts.add(block(SvgChart.of("mrr-" + c, "MRR, " + code + ", last 12 months", "Monthly recurring revenue at the end of each month from "
                    + label(months.months().get(0)) + " to " + label(months.months().get(MONTHS - 1)) + ", " + code + ".", true, labels, m,
                    v -> axis(v, c)), months, m, c));
            charts.add(block(SvgChart.of("collected-" + c, "Collected, " + code + ", last 12 months", "Payments received in each month from "
                    + label(months.months().get(0)) + " to " + label(months.months().get(MONTHS - 1)) + ", " + code + ".", false, labels, in,
                    v -> axis(v, c)), months, in, c));
        }
        List<BoardViews.StepCount> steps = new ArrayList<>();
        int inDunning = 0;
        for (DunningFigures.AtStep s : atSteps) {
            inDunning += s.accounts();
            steps.add(new BoardViews.StepCount(stepLabel(s.afterDays(), s.action()), s.accounts(), ConsoleRequest.href("dunning")));
        }
        console.render(ctx, 200, "console/home.jte", new BoardViews.Home(console.layout(ctx, req, "Home", "home"), tenant.name(),
                label(month.month()), AccountViews.minute(month.asOf()), cards, inDunning, steps, churned, charts));
    }


    /** "Past due, no step yet", or "Day 3 · email" for a step of a policy. */
    static String stepLabel(Integer afterDays, String action) {
        if (action == null) return "Past due, no step yet";
        return "Day " + afterDays + " · " + action.replace('_', ' ');
    }

    private static BoardViews.ChartBlock block(SvgChart.Chart chart, MonthBuckets months, long[] values, String currency) {
        List<BoardViews.ChartRow> rows = new ArrayList<>();
        for (int i = 0; i < values.length; i++) rows.add(new BoardViews.ChartRow(label(months.months().get(i)), AmountFormat.withSymbol(values[i], currency)));
        return new BoardViews.ChartBlock(chart, rows);
    }

    private static Map<String, long[]> sum(Map<String, long[]> a, Map<String, long[]> b) {
        Map<String, long[]> out = new java.util.TreeMap<>();
        for (Map<String, long[]> part : List.of(a, b))
            part.forEach((c, v) -> {
                long[] into = out.computeIfAbsent(c, k -> new long[v.length]);
                for (int i = 0; i < v.length; i++) into[i] += v[i];
            });
        return out;
    }

    static String label(YearMonth m) {
        return MONTH.format(m);
    }

    private static String money(Map<String, Long> figures, String currency) {
        return AmountFormat.withSymbol(figures.getOrDefault(currency, 0L), currency);
    }

    /** "+$18.00 (+25.0 %) since last month", "no change since last month". */
    static String change(long now, long before, String currency) {
        if (now == before) return "no change since last month";
        String amount = (now > before ? "+" : "") + AmountFormat.withSymbol(now - before, currency);
        String pct = before == 0 ? "" : String.format(Locale.ROOT, " (%+.1f %%)", (now - before) * 100.0 / before);
        return amount + pct + " since last month";
    }

    /** An axis label: the amount without its decimals when they are zero ("$50", "$12.50"). */
    static String axis(long minor, String currency) {
        String s = AmountFormat.withSymbol(minor, currency);
        return s.replaceAll("\\.0+$", "");
    }
}

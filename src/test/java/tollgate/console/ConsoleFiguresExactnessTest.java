package tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.accounts.Account;
import tollgate.bench.ConsoleSeeding;
import tollgate.core.MonthBuckets;
import tollgate.dunning.DunningFigures;
import tollgate.invoicing.InvoiceFigures;
import tollgate.licensing.LicenseFigures;
import tollgate.licensing.LicenseKey;
import tollgate.payments.PaymentFigures;
import tollgate.tenants.Tenant;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Decision 050: the console's figures and search after the speed work answer what the rows say. A tenant with a year of
 * the benchmark's data (300 accounts, seed 7) at 10:00 UTC on 12 June 2030; each figure is checked against the same
 * figure worked out in Java from every row, and the figures kept for settled months are checked again after money and
 * licenses move in the open month (they must equal a fresh reading of every month).
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class ConsoleFiguresExactnessTest {
    static final Instant NOW = Instant.parse("2030-06-12T10:00:00Z");

    @Parameter
    TestDatabase database;
    TestServer server;
    Tenant tenant;

    @BeforeEach
    void seed() {
        server = TestServer.on(database);
        tenant = Scenario.tenantAt(server, NOW).tenant;
        ConsoleSeeding.seed(server.app, tenant, 300, NOW, 7);
    }

    @Test
    void collectedAndLicenseMrrFromSettledMonthsEqualEveryRowBeforeAndAfterTheOpenMonthMoves() {
        var months = MonthBuckets.lastMonths(NOW, 12);
        PaymentFigures payments = new PaymentFigures(server.app.db);
        LicenseFigures licenses = new LicenseFigures(server.app.db);
        assertThat(flat(payments.collected(tenant, months))).isEqualTo(flat(collectedByHand(months))).isNotEmpty();
        assertThat(flat(licenses.mrr(tenant, months))).isEqualTo(flat(licenseMrrByHand(months))).isNotEmpty();

        // The open month moves: a wire payment in full of an open invoice, a card and two licenses for an account, one
        // of its licenses revoked.
        Record open = server.app.db.dsl().fetchOne("select id, amount_due from invoices where tenant_id = ? and status = 'open' "
                + "and past_due_at is null order by id limit 1", tenant.id());
        server.app.payments.recordPayment(tenant, open.get(0, String.class), open.get(1, Long.class), "wire", "WIRE-EXACT");
        Record lic = server.app.db.dsl().fetchOne("select account_id, plan_id, id from licenses where tenant_id = ? and status <> 'revoked' "
                + "order by id limit 1", tenant.id());
        server.app.paymentMethods.attach(tenant, lic.get(0, String.class), "tok_visa", false);
        server.app.licensing.issue(tenant, lic.get(0, String.class), lic.get(1, String.class), 2);
        server.app.licensing.revoke(tenant, lic.get(2, String.class));

        // An hour later, settled months from memory and the open one read again: the same as every month read afresh,
        // and as the rows.
        server.app.testClock.advance(tenant, NOW.plusSeconds(3600));
        months = MonthBuckets.lastMonths(NOW.plusSeconds(3600), 12);
        assertThat(flat(payments.collected(tenant, months))).isEqualTo(flat(new PaymentFigures(server.app.db).collected(tenant, months)))
                .isEqualTo(flat(collectedByHand(months)));
        assertThat(flat(licenses.mrr(tenant, months))).isEqualTo(flat(new LicenseFigures(server.app.db).mrr(tenant, months)))
                .isEqualTo(flat(licenseMrrByHand(months)));
        InvoiceFigures invoices = new InvoiceFigures(server.app.db, server.app.clock);
        assertThat(invoices.thisMonth(tenant).invoiced()).isEqualTo(invoicedByHand(NOW.plusSeconds(3600))).isNotEmpty();

        // Three hours on, the running sums' kept parts move on: a license revoked that was issued before the month, two
        // issued at the clock's very instant (live at once), another payment, and one of this month's invoices voided.
        Instant later = NOW.plusSeconds(4 * 3600);
        server.app.testClock.advance(tenant, later);
        Record old = server.app.db.dsl().fetchOne("select id from licenses where tenant_id = ? and status <> 'revoked' and issued_at < ? "
                + "order by id desc limit 1", tenant.id(), MonthBuckets.start(java.time.YearMonth.of(2030, 6)));
        server.app.licensing.revoke(tenant, old.get(0, String.class));
        server.app.licensing.issue(tenant, lic.get(0, String.class), lic.get(1, String.class), 2);
        Record another = server.app.db.dsl().fetchOne("select id, amount_due from invoices where tenant_id = ? and status = 'open' "
                + "and past_due_at is null order by id desc limit 1", tenant.id());
        server.app.payments.recordPayment(tenant, another.get(0, String.class), another.get(1, Long.class), "wire", "WIRE-LATER");
        Record thisMonths = server.app.db.dsl().fetchOne("select id from invoices where tenant_id = ? and status = 'open' and issued_at >= ? "
                + "order by id limit 1", tenant.id(), MonthBuckets.start(java.time.YearMonth.of(2030, 6)));
        server.app.invoices.voidInvoice(tenant, thisMonths.get(0, String.class));
        months = MonthBuckets.lastMonths(later, 12);
        assertThat(flat(payments.collected(tenant, months))).isEqualTo(flat(new PaymentFigures(server.app.db).collected(tenant, months)))
                .isEqualTo(flat(collectedByHand(months)));
        assertThat(flat(licenses.mrr(tenant, months))).isEqualTo(flat(new LicenseFigures(server.app.db).mrr(tenant, months)))
                .isEqualTo(flat(licenseMrrByHand(months)));
        assertThat(invoices.thisMonth(tenant).invoiced()).isEqualTo(new InvoiceFigures(server.app.db, server.app.clock).thisMonth(tenant).invoiced())
                .isEqualTo(invoicedByHand(later));
    }

    /** Currency → the totals of the invoices issued this month up to {@code now}, not voided. */
    private Map<String, Long> invoicedByHand(Instant now) {
        Map<String, Long> out = new TreeMap<>();
        Instant from = MonthBuckets.start(java.time.YearMonth.from(now.atZone(java.time.ZoneOffset.UTC)));
        for (Record r : server.app.db.dsl().fetch("select currency, total, issued_at, status from invoices where tenant_id = ?", tenant.id())) {
            Instant at = r.get(2, Instant.class);
            if (at != null && !at.isBefore(from) && !at.isAfter(now) && !r.get(3, String.class).equals("void"))
                out.merge(r.get(0, String.class), r.get(1, Long.class), Long::sum);
        }
        return out;
    }

    @Test
    void accountsInDunningByStepAreTheLastStepRunOnEachAccountsOpenPastDueInvoices() {
        Map<String, Long> newestStep = new HashMap<>();
        Map<Long, String> stepOf = new HashMap<>();
        for (Record r : server.app.db.dsl().fetch("select ds.id, ds.account_id, ds.after_days, ds.action from dunning_steps ds "
                + "join invoices i on i.id = ds.invoice_id where ds.tenant_id = ? and i.status = 'open' and i.past_due_at is not null",
                tenant.id())) {
            long id = r.get(0, Long.class);
            newestStep.merge(r.get(1, String.class), id, Math::max);
            stepOf.put(id, r.get(2, Integer.class) + " " + r.get(3, String.class));
        }
        int inDunning = server.app.db.dsl().fetchOne("select count(distinct account_id) from invoices where tenant_id = ? "
                + "and status = 'open' and past_due_at is not null", tenant.id()).get(0, Integer.class);
        Map<String, Integer> expected = new TreeMap<>();
        newestStep.values().forEach(id -> expected.merge(stepOf.get(id), 1, Integer::sum));
        if (inDunning > newestStep.size()) expected.put("past due", inDunning - newestStep.size());

        Map<String, Integer> shown = new TreeMap<>();
        for (DunningFigures.AtStep s : new DunningFigures(server.app.db).byStep(tenant))
            shown.put(s.action() == null ? "past due" : s.afterDays() + " " + s.action(), s.accounts());
        assertThat(shown).isEqualTo(expected);
        assertThat(newestStep).isNotEmpty();
        assertThat(new DunningFigures(server.app.db).accounts(tenant, 10_000)).hasSize(inDunning);
    }

    @Test
    void theSearchFindsWhatTheRowsHoldForEveryKindOfText() {
        List<Record> accounts = server.app.db.dsl().fetch("select id, name, email from accounts where tenant_id = ?", tenant.id());
        List<Record> licenses = server.app.db.dsl().fetch("select account_id, key_suffix, site_url from licenses where tenant_id = ?", tenant.id());
        Record some = accounts.get(accounts.size() / 2);
        String site = licenses.stream().filter(l -> l.get(2) != null).skip(licenses.size() / 3).findFirst().orElseThrow().get(2, String.class);
        String suffix = licenses.get(licenses.size() / 4).get(1, String.class);
        List<String> texts = List.of("arbor", "ANCHOR", "Pixel Pine", some.get("name", String.class), some.get("email", String.class),
                some.get("id", String.class), site.substring(8, 20), site.substring(12).toUpperCase(Locale.ROOT), suffix,
                suffix.toLowerCase(Locale.ROOT), "zq9nosuch", "ab", "100%", "a_b");
        for (String q : texts) {
            String lower = q.toLowerCase(Locale.ROOT);
            List<String> byAccount = accounts.stream().filter(a -> a.get("id", String.class).equals(q)
                    || a.get("name", String.class).toLowerCase(Locale.ROOT).contains(lower)
                    || a.get("email", String.class).toLowerCase(Locale.ROOT).contains(lower)).map(a -> a.get("id", String.class)).sorted().toList();
            assertThat(server.app.accounts.search(tenant, q, 10_000).stream().map(Account::id).sorted().toList()).as(q).isEqualTo(byAccount);
            String block = LicenseKey.normalizeBlock(q).orElse(null);
            List<String> byLicense = licenses.stream().filter(l -> l.get(1, String.class).equals(block)
                    || (q.length() >= 3 && l.get(2) != null && l.get(2, String.class).toLowerCase(Locale.ROOT).contains(lower)))
                    .map(l -> l.get(0, String.class)).distinct().sorted().toList();
            assertThat(server.app.licensing.accountsMatching(tenant, q, 10_000)).as(q).isEqualTo(byLicense);
        }
    }

    private Map<String, long[]> collectedByHand(MonthBuckets months) {
        Map<String, long[]> out = new TreeMap<>();
        for (Record r : server.app.db.dsl().fetch("select currency, amount, created_at from payments where tenant_id = ?", tenant.id())) {
            Instant at = r.get(2, Instant.class);
            for (int i = 0; i < months.months().size(); i++)
                if (!at.isBefore(MonthBuckets.start(months.months().get(i))) && at.isBefore(months.end(i)))
                    out.computeIfAbsent(r.get(0, String.class), c -> new long[months.months().size()])[i] += r.get(1, Long.class);
        }
        return out;
    }

    /** Every license live at each month's end, at its plan's monthly amount (a yearly one a twelfth, half-even per currency). */
    private Map<String, long[]> licenseMrrByHand(MonthBuckets months) {
        int n = months.months().size();
        Map<String, long[]> monthly = new TreeMap<>();
        Map<String, long[]> yearly = new TreeMap<>();
        for (Record r : server.app.db.dsl().fetch("select p.currency, p.billing_interval, p.amount, l.issued_at, l.revoked_at from licenses l "
                + "join plans p on p.id = l.plan_id where l.tenant_id = ?", tenant.id())) {
            String currency = r.get(0, String.class);
            long[] into = (r.get(1, String.class).equals("year") ? yearly : monthly).computeIfAbsent(currency, c -> new long[n]);
            monthly.computeIfAbsent(currency, c -> new long[n]);
            Instant issued = r.get(3, Instant.class), revoked = r.get(4, Instant.class);
            for (int i = 0; i < n; i++) {
                Instant end = months.end(i);
                if (issued.isBefore(end) && (revoked == null || revoked.isAfter(end))) into[i] += r.get(2, Long.class);
            }
        }
        yearly.forEach((c, v) -> {
            for (int i = 0; i < n; i++)
                monthly.get(c)[i] += BigDecimal.valueOf(v[i]).divide(BigDecimal.valueOf(12), 0, RoundingMode.HALF_EVEN).longValueExact();
        });
        return monthly;
    }

    private static Map<String, List<Long>> flat(Map<String, long[]> figures) {
        Map<String, List<Long>> out = new TreeMap<>();
        figures.forEach((c, v) -> {
            List<Long> values = new ArrayList<>();
            for (long x : v) values.add(x);
            out.put(c, values);
        });
        return out;
    }
}

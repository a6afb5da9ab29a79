package tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Record;
import tollgate.Config;
import tollgate.Tollgate;
import tollgate.bench.Seeding;
import tollgate.catalog.PlanDraft;
import tollgate.cli.Cli;
import tollgate.core.Bulk;
import tollgate.core.Database;
import tollgate.core.Ids;
import tollgate.licensing.LicenseCharges;
import tollgate.tenants.Tenant;

/**
 * A live tenant whose month-end, with charging, is about to fall due (decision 051): accounts with licenses of a $9 plan
 * issued mid-month (so the 1st bills the part of the month they were held),
 * each with one sandbox card — most pay, some decline every charge, some decline the first one only — seeded on a
 * database before a server process runs the month-end. Then what must hold however the run was interrupted: every
 * account exactly one invoice for the 1st, numbered without gaps; one charge round per invoice, no card charged twice
 * by the sandbox's own ledger, the ledger and Tollgate's attempts and payments agreeing; {@code tollgate check-data} clean.
 */
public final class LiveMonthEnd {
    public static final long PRICE = 900;
    /** By account index modulo 10: seven cards that pay, two that always decline, one that declines its first charge. */
    private static final String[] TOKENS = {"tok_visa", "tok_visa", "tok_mastercard", "tok_visa", "tok_visa", "tok_mastercard",
            "tok_visa", "tok_chargeDeclined", "tok_chargeDeclinedInsufficientFunds", "tok_chargeDeclinedOnce"};

    public final String url;
    public final String tenantId;
    public final List<String> accounts;
    public final int licensesPerAccount;
    /** The 1st the month-end bills for. */
    public final Instant billingDate;
    /** The token of each account's card. */
    public final Map<String, String> tokenOf;
    /** The live tenant's secret key, for requests to the server processes. */
    public final String secretKey;

    private LiveMonthEnd(String url, String tenantId, List<String> accounts, int licensesPerAccount, Instant billingDate,
                         Map<String, String> tokenOf, String secretKey) {
        this.url = url;
        this.tenantId = tenantId;
        this.accounts = accounts;
        this.licensesPerAccount = licensesPerAccount;
        this.billingDate = billingDate;
        this.tokenOf = tokenOf;
        this.secretKey = secretKey;
    }

    /** Seeds the tenant on {@code url} (migrating it first), licenses issued now by the run's clock: the next 1st is due. */
    public static LiveMonthEnd seed(String url, int accountCount, int licensesPerAccount) {
        Config config = TestServer.config(url, TestServer.GENEROUS).withEncryptionKey(ServerProcess.ENCRYPTION_KEY);
        try (Tollgate app = Tollgate.build(config, TestClocks.SYSTEM)) {
            var created = app.tenants.create("Month-end", Tenant.Mode.LIVE);
            Tenant tenant = created.tenant();
            String plan = app.plans.create(tenant, new PlanDraft("Jetpack", "license", "usd", PRICE, null, null, null, null, null, null, null)).id();
            Instant issued = TestClocks.now();
            List<String> accounts = Seeding.licensedAccounts(app, tenant, plan, accountCount, licensesPerAccount, issued);
            Map<String, String> tokenOf = new HashMap<>();
            List<Object[]> cards = new ArrayList<>();
            for (int i = 0; i < accounts.size(); i++) {
                String token = TOKENS[i % TOKENS.length];
                tokenOf.put(accounts.get(i), token);
                var card = new tollgate.payments.SandboxGateway(null).describe(token).orElseThrow();
                // The sandbox charges any tenant's stored sandbox card: a live tenant cannot attach one (it moves no money),
                // so the rows are written as attaching would have written them.
                cards.add(new Object[] {Ids.next("pm"), tenant.id(), accounts.get(i), token, card.brand(), card.last4(), card.expMonth(),
                        card.expYear(), accounts.get(i), issued});
            }
            for (int from = 0; from < cards.size(); from += 1000) {
                List<Object[]> chunk = cards.subList(from, Math.min(cards.size(), from + 1000));
                app.db.tx(tx -> {
                    Bulk.run(tx, "insert into payment_methods (id, tenant_id, account_id, gateway, gateway_ref, brand, last4, exp_month, "
                            + "exp_year, primary_for, created_at) values (?, ?, ?, 'sandbox', ?, ?, ?, ?, ?, ?, ?)", chunk);
                    return null;
                });
            }
            return new LiveMonthEnd(url, tenant.id(), accounts, licensesPerAccount,
                    LicenseCharges.nextFirstOfMonth(issued, ZoneId.of("UTC")), tokenOf, created.secretKey());
        }
    }

    private static final Instant FAR = Instant.parse("2999-01-01T00:00:00Z");

    /**
     * Keeps the month-end's billing rows out of reach (due in 2999) while server processes start, so that none of them
     * begins before the others are up; {@link #release} makes them due at the 1st again, all at once.
     */
    public void holdBack(DSLContext db) {
        db.execute("update timeline set due_at = ?, run_at = ? where tenant_id = ? and kind = ? and state = 'pending'", FAR, FAR,
                tenantId, tollgate.billing.BillingSchedule.JOB);
    }

    public void release(DSLContext db) {
        db.execute("update timeline set due_at = ?, run_at = ? where tenant_id = ? and kind = ? and state = 'pending' and due_at = ?",
                billingDate, billingDate, tenantId, tollgate.billing.BillingSchedule.JOB, FAR);
    }

    /** Invoices issued plus charges answered: 0 before the 1st, {@link #done} when every account is invoiced and charged once. */
    public long progress(DSLContext db) {
        return db.fetchOne("select (select count(*) from invoices where tenant_id = ?) + (select count(*) from payment_attempts "
                + "where tenant_id = ? and status in ('succeeded', 'declined'))", tenantId, tenantId).get(0, Long.class);
    }

    public long done() {
        return 2L * accounts.size();
    }

    /** Waits, polling, until the month-end is done; fails naming {@code logs} when it is not within {@code seconds}. */
    public void awaitDone(DSLContext db, int seconds, String logs) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long p = 0;
        while (System.nanoTime() < deadline) {
            try {
                p = progress(db);
                if (p >= done()) return;
            } catch (RuntimeException e) {
                // the database may be away for a moment (the restart test): ask again
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the month-end was not done within " + seconds + " s: progress " + p + " of " + done() + "; see " + logs);
    }

    /** What was checked, for the figures in docs/RELIABILITY.md. */
    public record Checked(int invoices, int ledgerCharges, int attempts, int payments) {
        public int rows() {
            return invoices + ledgerCharges + attempts + payments;
        }
    }

    /** Every promise of a month-end; answers how many rows were checked. */
    public Checked assertBooks(DSLContext db) throws Exception {
        // Licenses issued mid-month: the first invoice is the part of the month they were held, the same for every account.
        long total = db.fetchOne("select max(total) from invoices where tenant_id = ?", tenantId).get(0, Long.class);
        assertThat(total).as("the first invoice's total").isBetween(1L, PRICE * licensesPerAccount);
        // Exactly one invoice per account, for the 1st, for the licenses' price; numbered INV-000001… without a gap.
        Map<String, Record> invoiceOf = new HashMap<>();
        for (Record r : db.fetch("select account_id, id, billing_date, total, status, amount_paid, attempt_count, number from invoices "
                + "where tenant_id = ?", tenantId)) {
            Record before = invoiceOf.put(r.get(0, String.class), r);
            assertThat(before).as("a second invoice of account " + r.get(0, String.class)).isNull();
            assertThat(r.get(2, Instant.class)).as("billing date of " + r.get(1, String.class)).isEqualTo(billingDate);
            assertThat(r.get(3, Long.class)).as("total of " + r.get(1, String.class)).isEqualTo(total);
        }
        assertThat(invoiceOf.keySet()).as("every account invoiced").containsExactlyInAnyOrderElementsOf(accounts);
        List<String> numbers = db.fetch("select number from invoices where tenant_id = ? order by number", tenantId).getValues(0, String.class);
        for (int i = 0; i < numbers.size(); i++) assertThat(numbers.get(i)).isEqualTo(String.format("INV-%06d", i + 1));

        // The sandbox's own ledger: one charge per card (one round per invoice), each an attempt of Tollgate's with the same
        // answer; at most one success per invoice.
        Map<String, Integer> chargesPerCard = new HashMap<>();
        Map<String, Integer> successesPerInvoice = new HashMap<>();
        Map<String, Long> ledgerPaid = new HashMap<>();
        var ledger = db.fetch("select s.idempotency_key, s.card, s.outcome, s.amount, a.invoice_id, a.status, a.amount, a.attempt "
                + "from sandbox_charges s left join payment_attempts a on a.idempotency_key = s.idempotency_key "
                + "where s.card in (select id from payment_methods where tenant_id = ?)", tenantId);
        for (Record r : ledger) {
            String key = r.get(0, String.class);
            assertThat(r.get(4, String.class)).as("the sandbox charged " + key + ", an attempt Tollgate has no record of").isNotNull();
            assertThat(r.get(5, String.class)).as("Tollgate's answer for " + key + " is the sandbox's").isEqualTo(r.get(2, String.class));
            assertThat(r.get(6, Long.class)).as("amount of " + key).isEqualTo(r.get(3, Long.class)).isEqualTo(total);
            assertThat(r.get(7, Integer.class)).as("round of " + key + ": one round per invoice").isEqualTo(1);
            chargesPerCard.merge(r.get(1, String.class), 1, Integer::sum);
            if ("succeeded".equals(r.get(2, String.class))) {
                successesPerInvoice.merge(r.get(4, String.class), 1, Integer::sum);
                ledgerPaid.merge(r.get(4, String.class), r.get(3, Long.class), Long::sum);
            }
        }
        assertThat(chargesPerCard.size()).as("every card charged in the first round").isEqualTo(accounts.size());
        chargesPerCard.forEach((card, n) -> assertThat(n).as("charges of card " + card + " by the sandbox's ledger").isEqualTo(1));
        successesPerInvoice.forEach((invoice, n) -> assertThat(n).as("successful charges of " + invoice).isEqualTo(1));

        // Tollgate's side: one attempt per invoice, decided; a payment exactly where the sandbox took money.
        List<Record> attempts = db.fetch("select invoice_id, status, attempt from payment_attempts where tenant_id = ?", tenantId);
        Map<String, Integer> attemptsPerInvoice = new HashMap<>();
        for (Record a : attempts) {
            attemptsPerInvoice.merge(a.get(0, String.class), 1, Integer::sum);
            assertThat(a.get(1, String.class)).as("attempt of " + a.get(0, String.class)).isIn("succeeded", "declined");
        }
        attemptsPerInvoice.forEach((invoice, n) -> assertThat(n).as("attempts of " + invoice).isEqualTo(1));
        Map<String, Long> paid = new HashMap<>();
        List<Record> payments = db.fetch("select invoice_id, amount from payments where tenant_id = ?", tenantId);
        for (Record p : payments) {
            Long before = paid.put(p.get(0, String.class), p.get(1, Long.class));
            assertThat(before).as("a second payment of " + p.get(0, String.class)).isNull();
        }
        assertThat(paid).as("payments recorded = money the sandbox took").isEqualTo(ledgerPaid);
        for (String account : accounts) {
            Record invoice = invoiceOf.get(account);
            String token = tokenOf.get(account);
            boolean pays = token.equals("tok_visa") || token.equals("tok_mastercard");
            assertThat(invoice.get(4, String.class)).as(account + " with " + token).isEqualTo(pays ? "paid" : "open");
            assertThat(invoice.get(5, Long.class)).as(account + " paid").isEqualTo(pays ? total : 0);
            assertThat(invoice.get(6, Integer.class)).as(account + " rounds").isEqualTo(1);
        }

        assertThat(db.fetchCount(db.selectFrom("timeline").where("tenant_id = ? and state = 'dead'", tenantId)))
                .as("timeline rows given up").isZero();

        // The books' own invariants, as an operator checks them.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Cli.run(new String[] {"check-data"}, Map.of("TOLLGATE_DATABASE_URL", url), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(status).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("no problems");
        return new Checked(invoiceOf.size(), ledger.size(), attempts.size(), payments.size());
    }

    /**
     * A PostgreSQL database for the server processes: a schema of the shared test cluster when
     * {@code TOLLGATE_TEST_DATABASE_URL} is set, else a throwaway cluster of the test's own ({@link PgCluster}).
     */
    public record Postgres(String url, PgCluster cluster) implements AutoCloseable {
        public static Postgres forProcesses(String name) throws Exception {
            if (TestDatabase.available().contains(TestDatabase.POSTGRES)) return new Postgres(TestDatabase.POSTGRES.freshUrl(), null);
            PgCluster cluster = PgCluster.create(name);
            return new Postgres(cluster.url(""), cluster);
        }

        @Override
        public void close() {
            if (cluster != null) cluster.close();
        }
    }

    /** A connection of the test's own to watch and check the database (one connection). */
    public Database watcher() {
        return Database.open(url, null, null, 2, "watcher");
    }
}

package tollgate.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jooq.DSLContext;
import tollgate.Tollgate;
import tollgate.catalog.PlanDraft;
import tollgate.core.Bulk;
import tollgate.core.Ids;
import tollgate.licensing.LicenseKey;
import tollgate.tenants.Tenant;

/**
 * A seller's year for the console benchmark (issue 14 point 10): {@code accounts} accounts, each with one to three
 * licenses (assigned to sites, some unassigned or revoked), a third with a hosting subscription (some canceled), and the
 * monthly invoices the billing run would have issued on each 1st of the twelve months up to the tenant's clock, with
 * their payments, payment attempts (some declined) and, for the ~3 % of accounts still unpaid, past-due invoices and
 * the dunning steps their policy ran. Written in bulk rows (COPY on PostgreSQL), 1,000 accounts per transaction, from a
 * seeded {@link Random}: what is measured is reading. Not written: invoice lines, events, notifications, timeline rows
 * (neither the home page nor the search reads them).
 */
public final class ConsoleSeeding {
    private ConsoleSeeding() {}

    /** What was written. */
    public record Seeded(int accounts, long licenses, long subscriptions, long invoices, long payments, long attempts, long dunningSteps) {}

    private static final String[] FIRST = {"Bright", "Silver", "North", "Blue", "Quiet", "Rapid", "Golden", "Urban", "Green", "Little",
        "Bold", "Clear", "Copper", "Crimson", "Deep", "Happy", "Iron", "Lucky", "Maple", "Ocean", "Prime", "Red", "Stone", "True",
        "Wild", "Sunny", "Frost", "Swift", "Cedar", "Harbor"};
    private static final String[] SECOND = {"Pixel", "Harbor", "Fox", "Leaf", "Peak", "River", "Forge", "Pine", "Wave", "Lantern",
        "Orchard", "Summit", "Bridge", "Canvas", "Garden", "Hive", "Meadow", "Anchor", "Falcon", "Compass", "Beacon", "Quill",
        "Thread", "Kettle", "Otter", "Sparrow", "Willow", "Comet", "Arrow", "Grove"};
    private static final String[] KIND = {"Studio", "Agency", "Media", "Labs", "Digital", "Web", "Design", "Co", "Works", "Partners",
        "Creative", "Collective"};
    private static final String[] DECLINES = {"card_declined", "insufficient_funds", "expired_card", "do_not_honor"};

    /**
     * Writes the tenant's year as of {@code now} (the tenant's clock). Prices: licenses $9.00 or €8.00 a month, hosting
     * $29.00 a month, a seats plan $120.00 a year with 3 seats included and $24.00 a seat above.
     */
    public static Seeded seed(Tollgate app, Tenant tenant, int accounts, Instant now, long seed) {
        var vault = app.vault();
        Random rnd = new Random(seed);
        String licUsd = app.plans.create(tenant, new PlanDraft("Plugin license", "license", "usd", 900L, "month", null, null, null, null, null, null)).id();
        String licEur = app.plans.create(tenant, new PlanDraft("Plugin license (EUR)", "license", "eur", 800L, "month", null, null, null, null, null, null)).id();
        String hosting = app.plans.create(tenant, new PlanDraft("Managed hosting", "flat", "usd", 2900L, "month", null, null, null, null, null, null)).id();
        String team = app.plans.create(tenant, new PlanDraft("Team seats", "seats", "usd", 12000L, "year", 3, 2400L, null, null, null, null)).id();
        YearMonth current = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        YearMonth first = current.minusMonths(11);
        Instant yearAgo = first.minusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        long[] counts = new long[6];
        long[] number = {0};
        int chunk = 1000;
        for (int done = 0; done < accounts; done += chunk) {
            int count = Math.min(accounts - done, chunk);
            int from = done;
            app.db.tx(tx -> {
                Rows r = new Rows();
                for (int i = 0; i < count; i++) account(r, rnd, vault, tenant, from + i, now, current, first, yearAgo, licUsd, licEur, hosting, team, number);
                write(tx, r);
                counts[0] += r.licenses.size();
                counts[1] += r.subscriptions.size();
                counts[2] += r.invoices.size();
                counts[3] += r.payments.size();
                counts[4] += r.attempts.size();
                counts[5] += r.steps.size();
                return null;
            });
        }
        // The next invoice number the tenant issues follows the seeded ones.
        app.db.dsl().execute("update document_numbers set last_number = ? where tenant_id = ? and series = 'invoice'", number[0], tenant.id());
        if (app.db.dsl().fetchCount(app.db.dsl().selectOne().from("document_numbers").where("tenant_id = ? and series = 'invoice'", tenant.id())) == 0)
            app.db.dsl().execute("insert into document_numbers (tenant_id, series, last_number) values (?, 'invoice', ?)", tenant.id(), number[0]);
        return new Seeded(accounts, counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
    }

    private static final class Rows {
        final List<Object[]> accounts = new ArrayList<>();
        final List<Object[]> licenses = new ArrayList<>();
        final List<Object[]> subscriptions = new ArrayList<>();
        final List<Object[]> invoices = new ArrayList<>();
        final List<Object[]> payments = new ArrayList<>();
        final List<Object[]> attempts = new ArrayList<>();
        final List<Object[]> steps = new ArrayList<>();
    }

    private record Lic(Instant issued, Instant revoked) {}

    private static void account(Rows r, Random rnd, tollgate.core.Vault vault, Tenant tenant, int n, Instant now, YearMonth current,
                                YearMonth first, Instant yearAgo, String licUsd, String licEur, String hosting, String team, long[] number) {
        String id = Ids.next("acct");
        String a = FIRST[rnd.nextInt(FIRST.length)], b = SECOND[rnd.nextInt(SECOND.length)], k = KIND[rnd.nextInt(KIND.length)];
        String name = a + " " + b + " " + k;
        String slug = (a + b).toLowerCase(java.util.Locale.ROOT) + n;
        String email = (rnd.nextInt(3) == 0 ? "billing" : rnd.nextBoolean() ? "accounts" : "hello") + "@" + slug + ".test";
        boolean eur = rnd.nextInt(10) == 0;
        String currency = eur ? "eur" : "usd";
        // 70 % were customers before the year began; the rest signed up during it.
        Instant created = rnd.nextInt(10) < 7 ? yearAgo.plusSeconds(rnd.nextInt(28 * 86_400))
                : first.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds((long) rnd.nextInt(330) * 86_400 + rnd.nextInt(86_400));
        if (!created.isBefore(now)) created = now.minusSeconds(86_400);
        r.accounts.add(new Object[] {id, tenant.id(), name, email, currency, "UTC", created});

        int licenses = 1 + rnd.nextInt(3);
        List<Lic> lics = new ArrayList<>();
        String plan = eur ? licEur : licUsd;
        for (int l = 0; l < licenses; l++) {
            String lid = Ids.next("lic");
            String key = LicenseKey.generate();
            int roll = rnd.nextInt(100);
            String status = roll < 80 ? "assigned" : roll < 92 ? "unassigned" : "revoked";
            Instant revoked = status.equals("revoked") ? created.plus(Duration.ofSeconds(1 + (long) (rnd.nextDouble() * Duration.between(created, now).getSeconds()))) : null;
            if (revoked != null && revoked.isAfter(now)) revoked = now;
            String site = status.equals("unassigned") ? null : "https://" + (l == 0 ? "www." : "shop" + l + ".") + b.toLowerCase(java.util.Locale.ROOT)
                    + "-" + k.toLowerCase(java.util.Locale.ROOT) + "-" + n + ".example";
            r.licenses.add(new Object[] {lid, tenant.id(), id, plan, LicenseKey.hash(key), vault.sealText(key, lid), LicenseKey.suffix(key), status,
                    status.equals("revoked") ? null : site, status.equals("assigned") ? site : null, created, revoked});
            lics.add(new Lic(created, revoked));
        }

        // A third of the usd accounts host with the seller (flat), one in twenty has team seats (yearly); some canceled.
        long flatAmount = 0;
        Instant subCanceled = null;
        boolean yearly = false;
        int roll = rnd.nextInt(100);
        if (!eur && roll < 38) {
            yearly = roll >= 33;
            String sid = Ids.next("sub");
            Integer seats = yearly ? 2 + rnd.nextInt(6) : null;
            flatAmount = yearly ? 12000L + Math.max(0, seats - 3) * 2400L : 2900L;
            boolean canceled = rnd.nextInt(100) < 10;
            if (canceled) subCanceled = created.plus(Duration.ofSeconds(1 + (long) (rnd.nextDouble() * Duration.between(created, now).getSeconds())));
            Instant periodStart = created;
            YearMonth anchor = YearMonth.from(created.atOffset(ZoneOffset.UTC));
            Instant next = anchor.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            while (!next.isAfter(now)) {
                periodStart = next;
                next = YearMonth.from(next.atOffset(ZoneOffset.UTC)).plusMonths(yearly ? 12 : 1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            r.subscriptions.add(new Object[] {sid, tenant.id(), id, yearly ? team : hosting, yearly ? "seats" : "flat", yearly ? "year" : "month",
                    canceled ? "canceled" : "active", seats, created, periodStart, next, canceled ? null : next, 1, subCanceled, created});
        }

        // One invoice per 1st after signing up: what the account's live licenses and subscription bill for that month.
        boolean dunning = rnd.nextInt(100) < 3;
        boolean sendInvoice = !dunning && rnd.nextInt(100) < 5;
        int unpaidMonths = dunning ? 1 + rnd.nextInt(2) : 0;
        YearMonth m = YearMonth.from(created.atOffset(ZoneOffset.UTC)).plusMonths(1);
        YearMonth signup = m.minusMonths(1);
        if (m.isBefore(first)) m = first;
        for (; !m.isAfter(current); m = m.plusMonths(1)) {
            Instant date = m.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            long total = 0;
            for (Lic l : lics) if (l.revoked() == null || l.revoked().isAfter(date)) total += eur ? 800 : 900;
            if (flatAmount > 0 && (subCanceled == null || subCanceled.isAfter(date)) && (!yearly || (m.getMonthValue() - signup.getMonthValue() + 12) % 12 == 1 % 12))
                total += flatAmount;
            if (total == 0) continue;
            String inv = Ids.next("in");
            String num = String.format("INV-%06d", ++number[0]);
            int monthsLeft = (int) java.time.temporal.ChronoUnit.MONTHS.between(m, current);
            Instant issued = date.plusSeconds(60 + rnd.nextInt(3600));
            String status;
            long paid = 0;
            Instant pastDue = null, paidAt = null;
            if (dunning && monthsLeft < unpaidMonths) {
                status = "open";
                pastDue = issued.plusSeconds(5);
            } else if (sendInvoice && monthsLeft == 0) {
                status = "open";
            } else {
                int s = rnd.nextInt(1000);
                status = monthsLeft > 2 && s < 5 ? "void" : monthsLeft > 2 && s < 10 ? "uncollectible" : "paid";
            }
            if (status.equals("paid")) {
                paid = total;
                paidAt = sendInvoice ? issued.plus(Duration.ofDays(3 + rnd.nextInt(20))) : issued.plusSeconds(2);
                if (paidAt.isAfter(now)) paidAt = now;
            }
            Instant dueDate = sendInvoice ? issued.plus(Duration.ofDays(30)) : null;
            r.invoices.add(new Object[] {inv, tenant.id(), id, num, status, currency, date, issued, date, m.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                    total, 0L, 0L, total, paid, 0L, total - paid, status.equals("paid") ? 1 : dunning ? 2 : 0,
                    issued, sendInvoice ? "send_invoice" : "charge_automatically", dueDate, sendInvoice ? 30 : null, pastDue,
                    pastDue == null ? null : flatAmount > 0 ? "hosting_default" : "licenses_default", paidAt});
            if (sendInvoice) {
                if (paidAt != null) r.payments.add(new Object[] {Ids.next("pay"), tenant.id(), inv, id, total, currency, "wire", "WIRE-" + number[0], null, paidAt});
                continue;
            }
            // Charged at issue: 3 % of paid invoices were declined once and went through on the next round.
            int attempt = 1;
            if (paid > 0 && rnd.nextInt(100) < 3) {
                r.attempts.add(attempt(tenant, inv, id, attempt++, total, currency, "declined", DECLINES[rnd.nextInt(DECLINES.length)], "issue", issued));
                paidAt = issued.plus(Duration.ofDays(3));
            }
            if (paid > 0) {
                Object[] at = attempt(tenant, inv, id, attempt, total, currency, "succeeded", null, attempt == 1 ? "issue" : "retry", paidAt.minusSeconds(2));
                r.attempts.add(at);
                r.payments.add(new Object[] {Ids.next("pay"), tenant.id(), inv, id, total, currency, "card", null, at[0], paidAt});
            } else if (pastDue != null) {
                boolean hostingPolicy = flatAmount > 0;
                r.attempts.add(attempt(tenant, inv, id, 1, total, currency, "declined", DECLINES[rnd.nextInt(DECLINES.length)], "issue", issued));
                long days = Duration.between(pastDue, now).toDays();
                int[] after = hostingPolicy ? new int[] {0, 3, 3, 8, 8, 8, 15, 15, 15} : new int[] {0, 14, 28};
                String[] action = hostingPolicy ? new String[] {"notify", "retry_payment", "notify", "retry_payment", "notify", "suspend_services",
                    "retry_payment", "cancel_services", "schedule_data_deletion"} : new String[] {"notify", "block_new_licenses", "revoke_all_licenses"};
                String[] template = hostingPolicy ? new String[] {"payment_failed_1", null, "payment_failed_2", null, "payment_failed_3", null, null, null, null}
                        : new String[] {"invoice_unpaid", null, null};
                int round = 2;
                for (int s = 0; s < after.length && after[s] <= days; s++) {
                    Instant ran = pastDue.plus(Duration.ofDays(after[s]));
                    String outcome = "done";
                    if (action[s].equals("retry_payment")) {
                        r.attempts.add(attempt(tenant, inv, id, round++, total, currency, "declined", DECLINES[rnd.nextInt(DECLINES.length)], "retry", ran));
                        outcome = "payment_failed";
                    }
                    r.steps.add(new Object[] {tenant.id(), id, inv, hostingPolicy ? "hosting_default" : "licenses_default", s, after[s], action[s],
                            template[s], ran, ran, outcome});
                }
            }
        }
    }

    private static Object[] attempt(Tenant tenant, String invoice, String account, int attempt, long amount, String currency, String status,
                                    String decline, String reason, Instant at) {
        String id = Ids.next("pa");
        return new Object[] {id, tenant.id(), invoice, account, attempt, 0, "pm_bench", "sandbox", amount, currency, status, decline,
                status.equals("succeeded") ? "ch_" + id.substring(3) : null, "bench_" + id, reason, at, at};
    }

    private static void write(DSLContext tx, Rows r) {
        Bulk.insert(tx, "accounts", List.of("id", "tenant_id", "name", "email", "currency", "timezone", "created_at"), r.accounts);
        // Licenses carry their sealed key (bytea), which the COPY writer has no form for: a JDBC batch.
        Bulk.run(tx, "insert into licenses (id, tenant_id, account_id, plan_id, key_hash, key_sealed, key_suffix, status, site_url, live_site, "
                + "issued_at, revoked_at, version) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)", r.licenses);
        Bulk.insert(tx, "subscriptions", List.of("id", "tenant_id", "account_id", "plan_id", "plan_type", "billing_interval", "status", "seats",
                "anchor", "period_start", "period_end", "next_billing_at", "next_offset", "canceled_at", "created_at"), r.subscriptions);
        Bulk.insert(tx, "invoices", List.of("id", "tenant_id", "account_id", "number", "status", "currency", "billing_date", "issued_at",
                "period_start", "period_end", "subtotal", "discount", "tax", "total", "amount_paid", "amount_credited", "amount_due",
                "attempt_count", "created_at", "collection_method", "due_date", "days_until_due", "past_due_at", "dunning_policy", "paid_at"), r.invoices);
        Bulk.insert(tx, "payment_attempts", List.of("id", "tenant_id", "invoice_id", "account_id", "attempt", "position", "payment_method_id",
                "gateway", "amount", "currency", "status", "decline_reason", "gateway_id", "idempotency_key", "reason", "created_at", "resolved_at"), r.attempts);
        Bulk.insert(tx, "payments", List.of("id", "tenant_id", "invoice_id", "account_id", "amount", "currency", "method", "reference",
                "payment_attempt_id", "created_at"), r.payments);
        Bulk.insert(tx, "dunning_steps", List.of("tenant_id", "account_id", "invoice_id", "policy", "step", "after_days", "action", "template",
                "due_at", "ran_at", "outcome"), r.steps);
    }
}

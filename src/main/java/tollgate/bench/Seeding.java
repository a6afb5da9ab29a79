package tollgate.bench;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import tollgate.Tollgate;
import tollgate.billing.BillingSchedule;
import tollgate.licensing.LicenseCharges;
import tollgate.core.Bulk;
import tollgate.core.Ids;
import tollgate.licensing.LicenseKey;
import tollgate.tenants.Tenant;

/**
 * Bulk data for benchmarks and the crash tests: accounts with assigned licenses and their billing rows on the
 * timeline, written in batches of rows rather than through the API (what is measured is the billing run).
 * The rows are what issuing would have written: sealed keys, hashes, the next 1st scheduled.
 */
public final class Seeding {
    private Seeding() {}

    /** {@code accounts} UTC accounts in usd with {@code licensesPerAccount} licenses of {@code plan} each, issued at {@code at}. */
    public static List<String> licensedAccounts(Tollgate app, Tenant tenant, String plan, int accounts, int licensesPerAccount, Instant at) {
        var vault = app.vault();
        List<String> ids = new ArrayList<>(accounts);
        Instant firstBill = LicenseCharges.nextFirstOfMonth(at, ZoneId.of("UTC"));
        int chunk = 500;
        for (int done = 0; done < accounts; done += chunk) {
            int count = Math.min(accounts - done, chunk);
            app.db.tx(tx -> {
                List<Object[]> rows = new ArrayList<>(count);
                List<Object[]> licenses = new ArrayList<>(count * licensesPerAccount);
                List<Object[]> timeline = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    String account = Ids.next("acct");
                    ids.add(account);
                    rows.add(new Object[] {account, tenant.id(), "Agency " + account, "billing@" + account + ".test", at});
                    for (int l = 0; l < licensesPerAccount; l++) {
                        String id = Ids.next("lic");
                        String key = LicenseKey.generate();
                        String site = "https://" + id.replace('_', '-') + ".example";
                        licenses.add(new Object[] {id, tenant.id(), account, plan, LicenseKey.hash(key), vault.sealText(key, id),
                                LicenseKey.suffix(key), site, site, at});
                    }
                    timeline.add(new Object[] {tenant.id(), firstBill, firstBill, BillingSchedule.JOB, account, at});
                }
                // Prepared JDBC batches (multi-row inserts on PostgreSQL): seeding 100,000 accounts is not what is measured.
                Bulk.run(tx, "insert into accounts (id, tenant_id, name, email, currency, timezone, created_at) "
                        + "values (?, ?, ?, ?, 'usd', 'UTC', ?)", rows);
                Bulk.run(tx, "insert into licenses (id, tenant_id, account_id, plan_id, key_hash, key_sealed, key_suffix, "
                        + "status, site_url, live_site, issued_at, version) values (?, ?, ?, ?, ?, ?, ?, 'assigned', ?, ?, ?, 0)", licenses);
                Bulk.run(tx, "insert into timeline (tenant_id, due_at, run_at, kind, ref, state, attempts, created_at) "
                        + "values (?, ?, ?, ?, ?, 'pending', 0, ?)", timeline);
                return null;
            });
        }
        return ids;
    }

    /** A sandbox {@code tok_visa} card, primary, for each of {@code accounts}: every charge to it succeeds. */
    public static void visaCards(Tollgate app, Tenant tenant, List<String> accounts, Instant at) {
        int chunk = 1000;
        for (int done = 0; done < accounts.size(); done += chunk) {
            List<String> some = accounts.subList(done, Math.min(accounts.size(), done + chunk));
            app.db.tx(tx -> {
                List<Object[]> rows = new ArrayList<>(some.size());
                for (String account : some)
                    rows.add(new Object[] {Ids.next("pm"), tenant.id(), account, "sandbox", "tok_visa", "visa", "4242", 12, 2034, account, at});
                Bulk.run(tx, "insert into payment_methods (id, tenant_id, account_id, gateway, gateway_ref, brand, last4, exp_month, "
                        + "exp_year, primary_for, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
                return null;
            });
        }
    }
}

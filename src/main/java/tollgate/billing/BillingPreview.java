package tollgate.billing;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import tollgate.core.Database;
import tollgate.invoicing.Invoice;
import tollgate.invoicing.InvoiceLine;
import tollgate.invoicing.InvoiceDraftRules;
import tollgate.tenants.Ctx;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;

/**
 * What an account will be billed, read without billing it (decision 036): the next invoice as the billing run would
 * write it at the account's next billing instant, and the license month so far. Both come from the run's own charge
 * sources; there is no second formula to drift from them.
 */
public final class BillingPreview {
    private final Database db;
    private final TenantClock clock;
    private final BillingRun run;
    private final MonthSoFar licenses;

    /** The license month so far, as the license charge source bills it (licensing's LicenseCharges.monthSoFarSummary). */
    @FunctionalInterface
    public interface MonthSoFar {
        /** The first {@code shown} lines in license order, how many lines there are and their exact total. */
        Summary monthSoFar(org.jooq.DSLContext tx, Tenant tenant, String accountId, ZoneId zone, Instant now, int shown);

        /** {@code lines}: the first lines only; {@code count} and {@code total} are of all the lines (decision 040). */
        record Summary(List<InvoiceLine> lines, int count, long total) {}
    }

    public BillingPreview(Database db, TenantClock clock, BillingRun run, MonthSoFar licenses) {
        this.db = db;
        this.clock = clock;
        this.run = run;
        this.licenses = licenses;
    }

    /** A result carried out of a transaction that must not commit. */
    private static final class RolledBack extends RuntimeException {
        final transient Optional<Invoice> invoice;

        RolledBack(Optional<Invoice> invoice) {
            super(null, null, false, false);
            this.invoice = invoice;
        }
    }

    /**
     * The next invoice (a draft with its totals, before any account credit is applied), or none when nothing is
     * scheduled. Its amounts are the run's; its license lines may come grouped (one line per plan and pair of issue and
     * revocation instants, {@code quantity} licenses: decision 047), so count licenses by quantity. The run's sources move their state on as they answer, so they are asked in a transaction that is
     * rolled back: nothing of it stays, the invoice number included.
     */
    public Optional<Invoice> upcoming(Tenant tenant, String accountId) {
        try {
            db.tx(tx -> {
                Instant now = clock.now(tx, tenant);
                Optional<Invoice> draft = run.nextRun(tx, tenant.id(), accountId, now)
                        .flatMap(at -> run.preview(new Ctx(tx, tenant, at), accountId))
                        .map(n -> InvoiceDraftRules.preview(n, n.currency()));
                throw new RolledBack(draft);
            });
        } catch (RolledBack r) {
            return r.invoice;
        }
        throw new IllegalStateException("unreachable");
    }

    /**
     * The month so far of the account's licenses in its time zone: the first {@code shown} lines (one per license with
     * its days and amount), and the number and exact total of all of them, without making a line per license.
     */
    public MonthSoFar.Summary licensesThisMonth(Tenant tenant, String accountId, ZoneId zone, int shown) {
        return db.tx(tx -> licenses.monthSoFar(tx, tenant, accountId, zone, clock.now(tx, tenant), shown));
    }
}

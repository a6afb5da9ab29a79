package tollgate.invoicing;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;

/** SQL for the per-tenant counters behind gapless numbers. */
public final class DocumentNumberStore {

    /**
     * The next number of {@code series}, taken in the caller's transaction. The update locks the counter row until
     * that transaction ends, so concurrent issuers take turns (no duplicates) and a rollback returns the number (no gap).
     */
    public long next(DSLContext tx, String tenantId, DocumentSeries series) {
        return reserve(tx, tenantId, series, 1);
    }

    /** Takes {@code count} numbers at once; answers the first (the others follow it without a gap). */
    public long reserve(DSLContext tx, String tenantId, DocumentSeries series, int count) {
        if (tx.dialect() == SQLDialect.POSTGRES) {
            // One statement while the counter is locked to the commit, where three were (decision 055): every round
            // trip between the number and the commit is time the tenant's other issuers wait.
            Record r = tx.fetchOptional("update document_numbers set last_number = last_number + ? where tenant_id = ? and series = ? "
                    + "returning last_number", count, tenantId, series.wire()).orElse(null);
            if (r != null) return r.get(0, Long.class) - count + 1;
        }
        // The first document of a series creates its row; a concurrent first waits for it and then does nothing.
        tx.execute("insert into document_numbers (tenant_id, series, last_number) values (?, ?, 0) on conflict do nothing",
                tenantId, series.wire());
        tx.execute("update document_numbers set last_number = last_number + ? where tenant_id = ? and series = ?",
                count, tenantId, series.wire());
        return tx.fetchOne("select last_number from document_numbers where tenant_id = ? and series = ?", tenantId, series.wire())
                .get(0, Long.class) - count + 1;
    }
}

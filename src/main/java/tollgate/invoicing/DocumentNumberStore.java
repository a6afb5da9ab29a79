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

    /**
     * Numbers the tenant's open invoice written with {@code placeholder} for a number, in one statement that takes the
     * next number of the series and writes it on the invoice (PostgreSQL only; decision 058). Run as the transaction's
     * last statement, the counter row is locked for the commit only. Answers the number; throws when no invoice of the
     * tenant has that placeholder.
     */
    public String numberLast(DSLContext tx, String tenantId, DocumentSeries series, String placeholder) {
        if (tx.dialect() != SQLDialect.POSTGRES) throw new IllegalStateException("numbers are taken last on PostgreSQL only");
        String sql = "with n as (update document_numbers set last_number = last_number + 1 where tenant_id = ? and series = ? "
                + "returning last_number), "
                + "m as (select ? || '-' || case when last_number < 1000000 then lpad(cast(last_number as varchar), 6, '0') "
                + "else cast(last_number as varchar) end as number from n), "
                + "i as (update invoices v set number = m.number from m where v.tenant_id = ? and v.number = ? and v.status <> 'draft' "
                + "returning v.id) "
                + "select m.number, (select count(*) from i) from m";
        Object[] args = {tenantId, series.wire(), series.prefix(), tenantId, placeholder};
        Record r = tx.fetchOptional(sql, args).orElse(null);
        if (r == null) {
            // The tenant's first document of the series: its counter row first (a concurrent first waits for it).
            tx.execute("insert into document_numbers (tenant_id, series, last_number) values (?, ?, 0) on conflict do nothing",
                    tenantId, series.wire());
            r = tx.fetchOne(sql, args);
        }
        if (r == null || r.get(1, Long.class) != 1)
            throw new IllegalStateException("no invoice of tenant " + tenantId + " waits for its number as " + placeholder);
        return r.get(0, String.class);
    }
}

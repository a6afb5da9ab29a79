package tollgate.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import tollgate.billing.BillingSchedule;
import tollgate.tenants.Ctx;

/**
 * A billing schedule for a charge source tested alone: it records the dates the source schedules ("account instant"),
 * in order, and fails on a {@code billNow}, which a source never calls.
 */
public final class RecordedSchedule implements BillingSchedule {
    public final List<String> scheduled = new ArrayList<>();

    @Override
    public void schedule(DSLContext tx, String tenantId, String accountId, Instant at) {
        scheduled.add(accountId + " " + at);
    }

    @Override
    public void scheduleAll(DSLContext tx, String tenantId, List<String> accountIds, Instant at) {
        for (String a : accountIds) schedule(tx, tenantId, a, at);
    }

    @Override
    public void billNow(Ctx ctx, String accountId) {
        throw new AssertionError("a charge source is asked; it never bills by itself");
    }
}

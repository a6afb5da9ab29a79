package tollgate.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.Tollgate;
import tollgate.tenants.Tenant;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Decision 029: a typed job is handed its row's reference as its record, the row's tenant (looked up once per run)
 * and the tenant's now; the row's stored text is what the kind writes.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class TenantJobsTest {
    /** A reference of two parts, as a dunning step's. */
    record PairRef(String id, int n) {}

    static final JobKind<PairRef> KIND = JobKind.of("test.typed_pair", r -> r.id() + "#" + r.n(), text -> {
        int hash = text.lastIndexOf('#');
        return new PairRef(text.substring(0, hash), Integer.parseInt(text.substring(hash + 1)));
    });

    /** One run as the job saw it. */
    record Seen(String tenantId, PairRef ref, Instant dueAt, Instant now) {}

    private static final Map<Tollgate, List<Seen>> SEEN = new ConcurrentHashMap<>();
    private static final Map<Tollgate, AtomicInteger> LOOKUPS = new ConcurrentHashMap<>();

    @Parameter
    TestDatabase database;
    TestServer server;
    Tenant tenant;

    @BeforeEach
    void registered() {
        server = TestServer.on(database);
        Tollgate app = server.app;
        SEEN.computeIfAbsent(app, a -> {
            AtomicInteger lookups = LOOKUPS.computeIfAbsent(a, x -> new AtomicInteger());
            tollgate.tenants.TenantStore store = new tollgate.tenants.TenantStore();
            TenantJobs jobs = new TenantJobs(a.timeline, (db, id) -> {
                lookups.incrementAndGet();
                return store.find(db, id);
            }, a.clock);
            List<Seen> seen = new CopyOnWriteArrayList<>();
            jobs.register(KIND, (ctx, ref, due) -> seen.add(new Seen(ctx.tenantId(), ref, due.dueAt(), ctx.now())));
            return seen;
        });
        tenant = server.newTenant().tenant;
    }

    @Test
    void theJobGetsItsRecordItsTenantAndItsNow() {
        Instant start = server.app.testClock.now(tenant);
        Instant due = start.plusSeconds(3_600);
        server.app.db.tx(tx -> {
            server.app.timeline.schedule(tx, tenant.id(), due, KIND, new PairRef("inv_01HX#weird", 3), start);
            return null;
        });
        String stored = server.app.db.dsl().fetchOne("select ref from timeline where tenant_id = ? and kind = ?", tenant.id(),
                KIND.name()).get(0, String.class);
        assertThat(stored).isEqualTo("inv_01HX#weird#3");
        int lookupsBefore = LOOKUPS.get(server.app).get();

        server.app.testClock.advance(tenant, due.plusSeconds(60));

        List<Seen> mine = SEEN.get(server.app).stream().filter(s -> s.tenantId().equals(tenant.id())).toList();
        assertThat(mine).containsExactly(new Seen(tenant.id(), new PairRef("inv_01HX#weird", 3), due, due));
        assertThat(LOOKUPS.get(server.app).get() - lookupsBefore).isEqualTo(1);
    }
}

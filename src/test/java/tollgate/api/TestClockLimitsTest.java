package tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tollgate.core.Problem;
import tollgate.tenants.Tenant;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** Issue 15: test clocks cannot starve the database; advances are limited per tenant, 429 with Retry-After. */
class TestClockLimitsTest {
    @Test
    void aTenantsAdvancesPerMinuteAreLimitedAndOtherTenantsAreNot() {
        try (TestServer.Client server = TestServer.start(TestDatabase.H2, c -> c.withTestClockAdvancesPerMinute(3))) {
            ApiClient a = server.newTenant(Tenant.Mode.TEST);
            ApiClient b = server.newTenant(Tenant.Mode.TEST);
            Instant now = Instant.parse(a.get("/v1/test_clock").str("now"));
            for (int i = 1; i <= 3; i++) assertThat(advance(a, now.plusSeconds(60L * i)).status()).isEqualTo(200);
            Res limited = advance(a, now.plusSeconds(600));
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.code()).isEqualTo("test_clock_rate_limited");
            assertThat(Long.parseLong(limited.header("retry-after"))).isBetween(1L, 20L);
            assertThat(a.get("/v1/test_clock").str("now")).as("nothing moved").isEqualTo(now.plusSeconds(180).toString());
            assertThat(advance(b, Instant.parse(b.get("/v1/test_clock").str("now")).plusSeconds(60)).status()).isEqualTo(200);
        }
    }

    private static Res advance(ApiClient api, Instant to) {
        return api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
    }

    @Test
    void twoAdvancesOfATenantRunAtOnceAndAThirdIsToldToWait() throws Exception {
        TestClockApi api = new TestClockApi(null, 1_000);
        Tenant tenant = new Tenant("ten_busy", "Busy", Tenant.Mode.TEST);
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            java.util.List<Future<TestClockApi.Now>> running = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) running.add(threads.submit(() -> api.limited(tenant, () -> {
                started.countDown();
                await(release);
                return new TestClockApi.Now("clock_busy", "test_clock", Instant.EPOCH);
            })));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> api.limited(tenant, () -> new TestClockApi.Now("clock_busy", "test_clock", Instant.EPOCH)))
                    .isInstanceOfSatisfying(Problem.class, p -> {
                        assertThat(p.status()).isEqualTo(429);
                        assertThat(p.code()).isEqualTo("test_clock_busy");
                        assertThat(p.retryAfterSeconds()).isEqualTo(1);
                    });
            // Another tenant is not held up by this one's advances.
            assertThat(api.limited(new Tenant("ten_other", "Other", Tenant.Mode.TEST),
                    () -> new TestClockApi.Now("clock_other", "test_clock", Instant.EPOCH)).id()).isEqualTo("clock_other");
            release.countDown();
            for (Future<TestClockApi.Now> f : running) assertThat(f.get(10, TimeUnit.SECONDS).id()).isEqualTo("clock_busy");
            // Once they are done, the next one runs.
            assertThat(api.limited(tenant, () -> new TestClockApi.Now("clock_busy", "test_clock", Instant.EPOCH))).isNotNull();
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package tollgate.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** SPEC §5 under load: an account with methods has exactly one primary, whatever runs at the same time. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class PaymentMethodsConcurrencyTest {
    @Parameter
    TestDatabase database;
    ApiClient api;
    PaymentMethodCalls pm;
    String account;

    @BeforeEach
    void tenant() {
        api = TestServer.on(database).newTenant();
        pm = new PaymentMethodCalls(api);
        account = api.newAccount("Busy", "usd", "UTC");
    }

    @Test
    void tenConcurrentAttachesToAFreshAccountMakeExactlyOnePrimary() throws Exception {
        List<Res> answers = all(10, i -> () -> pm.attach(account, "{\"token\":\"tok_visa\"}"));
        assertThat(answers).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
        assertThat(answers.stream().filter(r -> r.json().get("primary").asBoolean())).hasSize(1);
        assertThat(pm.list(account)).hasSize(10);
        assertThat(pm.primaries(account)).hasSize(1);
    }

    @Test
    void concurrentAttachesAskingForPrimaryLeaveExactlyOnePrimary() throws Exception {
        pm.attached(account, "tok_visa");
        List<Res> answers = all(10, i -> () -> pm.attach(account, "{\"token\":\"tok_mastercard\",\"primary\":true}"));
        assertThat(answers).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
        assertThat(pm.list(account)).hasSize(11);
        assertThat(pm.primaries(account)).hasSize(1);
    }

    @Test
    void concurrentDeletesLeaveExactlyOnePrimaryAmongTheRest() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) ids.add(pm.attached(account, "tok_visa"));
        // Delete the primary and the next oldest ones at once: every deletion of a primary promotes, and they race.
        List<String> doomed = ids.subList(0, 6);
        List<Res> answers = all(doomed.size(), i -> () -> pm.delete(doomed.get(i)));
        assertThat(answers).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
        assertThat(pm.ids(account)).containsExactlyInAnyOrderElementsOf(ids.subList(6, 10));
        assertThat(pm.primaries(account)).containsExactly(ids.get(6));
        // Each promotion named a method that was still there when it happened.
        assertThat(answers.stream().map(r -> r.str("promoted")).filter(p -> p != null).toList()).doesNotHaveDuplicates();
    }

    @Test
    void concurrentMakePrimaryAttachAndDeleteKeepExactlyOnePrimary() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) ids.add(pm.attached(account, "tok_visa"));
        List<Res> answers = all(12, i -> () -> switch (i % 3) {
            case 0 -> pm.makePrimary(ids.get(4 + i / 3));
            case 1 -> pm.delete(ids.get(i / 3));
            default -> pm.attach(account, "{\"token\":\"tok_mastercard\",\"primary\":" + (i % 2 == 0) + "}");
        });
        assertThat(answers).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
        assertThat(pm.list(account)).hasSize(8 - 4 + 4);
        assertThat(pm.primaries(account)).hasSize(1);
    }

    @Test
    void concurrentDeletesOfTheSameMethodDeleteItOnce() throws Exception {
        String first = pm.attached(account, "tok_visa");
        String second = pm.attached(account, "tok_mastercard");
        List<Res> answers = all(6, i -> () -> pm.delete(first));
        assertThat(answers.stream().filter(r -> r.status() == 200)).hasSize(1);
        assertThat(answers.stream().filter(r -> r.status() == 404)).hasSize(5);
        assertThat(pm.primaries(account)).containsExactly(second);
        assertThat(pm.events(account, "payment_method.detached")).hasSize(1);
    }

    interface Task {
        Callable<Res> at(int i);
    }

    /** Runs {@code n} calls at once (released together) and answers their responses in order. */
    private static List<Res> all(int n, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Res>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Callable<Res> call = task.at(i);
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
            go.countDown();
            List<Res> out = new ArrayList<>();
            for (Future<Res> f : futures) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}

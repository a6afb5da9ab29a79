package tollgate.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tollgate.core.Database;
import tollgate.testing.LiveMonthEnd;
import tollgate.testing.ServerProcess;

/**
 * Issue 15 point 4 (decision 051): the server, a process of its own on PostgreSQL, runs a live tenant's month-end with
 * charging and is killed with SIGKILL at random moments — most at a random point of the work (a number of invoices
 * issued and charges answered), some during its start — and started again each time until the work is done. Then every
 * account has exactly one invoice for the 1st, numbered without gaps, the sandbox's own ledger shows every card charged
 * once (one round), agreeing with Tollgate's attempts and payments, and {@code tollgate check-data} is clean.
 *
 * <p>Seeded: the seed is printed; {@code -Dtollgate.seed=N} repeats its choices (not the machine's timing). CI kills
 * {@value #CI_KILLS} times over {@value #CI_ACCOUNTS} accounts; the long form is {@code -Dtollgate.crash.kills=20}
 * (with {@code -Dtollgate.crash.accounts}, default 2,000 then).
 */
class CrashesDuringLiveMonthEndTest {
    static final int CI_KILLS = 3;
    static final int CI_ACCOUNTS = 300;

    @Test
    void sigkillAtRandomMomentsOfALiveMonthEndLeavesOneInvoiceAndOneChargeRoundPerAccount() throws Exception {
        int kills = Integer.getInteger("tollgate.crash.kills", CI_KILLS);
        int accountCount = Integer.getInteger("tollgate.crash.accounts", kills > CI_KILLS ? 2000 : CI_ACCOUNTS);
        long seed = Long.getLong("tollgate.seed", System.nanoTime());
        System.out.printf("crashes: seed %d (-Dtollgate.seed=%d), %d kills, %d accounts%n", seed, seed, kills, accountCount);
        Random random = new Random(seed);
        Path dir = Files.createTempDirectory("tollgate-crashes");
        long began = System.nanoTime();
        try (LiveMonthEnd.Postgres pg = LiveMonthEnd.Postgres.forProcesses("crashes")) {
            LiveMonthEnd month = LiveMonthEnd.seed(pg.url(), accountCount, 2);
            // The kills' points of the work, in order: invoices issued plus charges answered, between none and all.
            long[] targets = new long[kills];
            for (int i = 0; i < kills; i++) targets[i] = 1 + (long) (random.nextDouble() * (month.done() - 2));
            Arrays.sort(targets);
            long t0 = System.nanoTime();
            int midWork = 0;
            StringBuilder story = new StringBuilder();
            try (Database watcher = month.watcher()) {
                for (int i = 0; i <= kills; i++) {
                    // The clock goes on from the 1st as the real time does, across the restarts.
                    try (ServerProcess server = ServerProcess.launch(pg.url(), month.billingDate.plusNanos(System.nanoTime() - t0), dir,
                            "run-" + i)) {
                        if (i == kills) {
                            server.awaitListening(Duration.ofSeconds(120));
                            month.awaitDone(watcher.dsl(), 300, server.log.toString());
                            assertThat(server.stop()).as("exit after SIGTERM; see " + server.log).isZero();
                            break;
                        }
                        boolean duringStart = random.nextInt(5) == 0;
                        if (duringStart) {
                            // During the start: migrations checked, pools opening, the worker's first ticks.
                            Thread.sleep(random.nextInt(3000));
                        } else {
                            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
                            while (server.isAlive() && month.progress(watcher.dsl()) < targets[i] && System.nanoTime() < deadline) Thread.sleep(5);
                            Thread.sleep(random.nextInt(20));
                        }
                        assertThat(server.isAlive()).as("the server died by itself; see " + server.log + "\n" + server.tail()).isTrue();
                        long at = month.progress(watcher.dsl());
                        server.kill();
                        if (!duringStart && at < month.done()) midWork++;
                        story.append(' ').append(duringStart ? "start(" + at + ")" : Long.toString(at));
                    }
                }
                LiveMonthEnd.Checked checked = month.assertBooks(watcher.dsl());
                System.out.printf("crashes: %d SIGKILLs survived (%d at a point of the work, the others during a start; progress at each kill:%s of %d), "
                                + "%d accounts, %d rows checked (%d invoices, %d sandbox charges, %d attempts, %d payments), %.1f s%n",
                        kills, midWork, story, month.done(), accountCount, checked.rows(), checked.invoices(), checked.ledgerCharges(),
                        checked.attempts(), checked.payments(), (System.nanoTime() - began) / 1e9);
            }
        }
    }
}

package tollgate.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tollgate.core.Database;
import tollgate.testing.LiveMonthEnd;
import tollgate.testing.ServerProcess;

/**
 * Issue 15 point 5 (decision 051): three server processes on one PostgreSQL database run the same live month-end with
 * charging. Every account gets one invoice and one charge round (the sandbox's ledger: each card charged once), the
 * numbers stay gapless, {@code check-data} is clean, and each node's {@code /metrics} shows it did part of the work.
 * {@code -Dtollgate.nodes.accounts=N} for a larger run.
 */
class ThreeNodesMonthEndTest {
    @Test
    void threeServerProcessesShareOneLiveMonthEndAndInvoiceAndChargeEachAccountOnce() throws Exception {
        int accountCount = Integer.getInteger("tollgate.nodes.accounts", 400);
        Path dir = Files.createTempDirectory("tollgate-nodes");
        long began = System.nanoTime();
        try (LiveMonthEnd.Postgres pg = LiveMonthEnd.Postgres.forProcesses("nodes")) {
            LiveMonthEnd month = LiveMonthEnd.seed(pg.url(), accountCount, 2);
            List<ServerProcess> nodes = new ArrayList<>();
            try (Database watcher = month.watcher()) {
                month.holdBack(watcher.dsl());
                long t0 = System.nanoTime();
                for (int n = 1; n <= 3; n++)
                    nodes.add(ServerProcess.launch(pg.url(), month.billingDate.plusNanos(System.nanoTime() - t0), dir, "node-" + n));
                for (ServerProcess node : nodes) node.awaitListening(Duration.ofSeconds(180));
                // All three are up: the 1st's rows fall due for all of them at once.
                long released = System.nanoTime();
                month.release(watcher.dsl());
                month.awaitDone(watcher.dsl(), 300, dir.toString());
                double seconds = (System.nanoTime() - released) / 1e9;
                List<String> shares = new ArrayList<>();
                for (ServerProcess node : nodes) {
                    double invoices = node.metric("tollgate_invoices_issued_total");
                    double rounds = node.metric("tollgate_payment_rounds_total");
                    shares.add((int) invoices + " invoices and " + (int) rounds + " rounds");
                    assertThat(invoices + rounds).as("node " + node.log + " took part: " + shares).isPositive();
                }
                for (ServerProcess node : nodes) assertThat(node.stop()).as("exit after SIGTERM; see " + node.log).isZero();
                LiveMonthEnd.Checked checked = month.assertBooks(watcher.dsl());
                System.out.printf("three nodes: %d accounts invoiced and charged once in %.1f s from the 1st; per node: %s; "
                                + "%d rows checked (%d invoices, %d sandbox charges, %d attempts, %d payments); %.1f s in all%n",
                        accountCount, seconds, String.join("; ", shares), checked.rows(), checked.invoices(), checked.ledgerCharges(),
                        checked.attempts(), checked.payments(), (System.nanoTime() - began) / 1e9);
            } finally {
                for (ServerProcess node : nodes) node.close();
            }
        }
    }
}

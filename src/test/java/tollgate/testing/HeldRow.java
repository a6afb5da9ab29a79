package tollgate.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tollgate.core.Database;

/**
 * A transaction of the test's that holds one account's row locked, as a charge, another request or a node cut off
 * mid-transaction would, until {@link #close} lets it end. Requests that need the row queue behind it.
 */
public final class HeldRow implements AutoCloseable {
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService thread = Executors.newVirtualThreadPerTaskExecutor();
    private final Future<?> holder;

    private HeldRow(Database db, String accountId) throws InterruptedException {
        CountDownLatch locked = new CountDownLatch(1);
        holder = thread.submit(() -> db.tx(tx -> {
            tx.fetch("select id from accounts where id = ? for update", accountId);
            locked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        if (!locked.await(10, TimeUnit.SECONDS)) {
            close();
            throw new IllegalStateException("the account's row was not locked within 10 s");
        }
    }

    /** Holds the row of account {@code accountId} from now until closed. */
    public static HeldRow account(Database db, String accountId) throws InterruptedException {
        return new HeldRow(db, accountId);
    }

    /** Lets the transaction end and waits for it (again: nothing more). */
    @Override
    public void close() {
        release.countDown();
        try {
            holder.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the transaction holding the row did not end", e);
        } finally {
            thread.shutdownNow();
        }
    }
}

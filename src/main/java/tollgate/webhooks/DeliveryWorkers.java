package tollgate.webhooks;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background threads that deliver due webhooks, batch after batch while there are any, polling every
 * {@link #IDLE_MILLIS} otherwise. Several server processes may run theirs side by side: a batch is taken with
 * {@code SKIP LOCKED}.
 */
public final class DeliveryWorkers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorkers.class);
    static final int BATCH = 250;
    static final long IDLE_MILLIS = 100;

    /** The longest a due delivery waits for bulk work to end before it is sent regardless. */
    static final java.time.Duration MAX_YIELD = java.time.Duration.ofMinutes(5);

    private final Dispatch dispatch;
    private final java.util.function.BooleanSupplier bulkWorkRunning;
    private final int threads;
    private final List<Thread> running = new ArrayList<>();
    private volatile boolean stopping;

    /**
     * {@code bulkWorkRunning}: while it answers true (the billing run is on in this process), deliveries wait — unless
     * the oldest due one has waited {@link #MAX_YIELD} — so that the run keeps the CPU and the database to itself and
     * its events go out right after it.
     */
    public DeliveryWorkers(Dispatch dispatch, java.util.function.BooleanSupplier bulkWorkRunning, int threads) {
        this.dispatch = dispatch;
        this.bulkWorkRunning = bulkWorkRunning;
        this.threads = threads;
    }

    public synchronized void start() {
        for (int i = 0; i < threads; i++) {
            Thread t = Thread.ofPlatform().daemon().name("webhook-delivery-" + i).start(this::loop);
            running.add(t);
        }
    }

    private void loop() {
        while (!stopping) {
            try {
                if (bulkWorkRunning.getAsBoolean() && !dispatch.overdue(MAX_YIELD)) Thread.sleep(IDLE_MILLIS);
                else if (dispatch.deliverDue(BATCH) == 0) Thread.sleep(IDLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (stopping) return;
                log.error("webhook delivery round failed", e);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        stopping = true;
        for (Thread t : running) {
            try {
                t.join(15_000); // a round in flight ends within the courier's deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        running.clear();
    }
}

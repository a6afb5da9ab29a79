package tollgate.notify;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mail worker: a few threads of its own, each claiming a batch of due messages, delivering it, and pausing when
 * nothing is due. Not the timeline's worker: a mail server may take seconds per message, and that thread (and the
 * test clock's advance, which runs timeline rows in the request) must never wait on one. Several server processes
 * may each run one: claims skip what another holds. While the billing run works in this process it gives way (as the
 * webhook deliveries do, decision 027), for at most {@link #MAX_YIELD_NANOS} at a time: a month's invoice emails
 * rendered beside the run slowed it by half (docs/BENCHMARKS.md), and they are no less on time a minute later.
 */
public final class CourierWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CourierWorker.class);
    private final Courier courier;
    private final int threads;
    private static final long MAX_YIELD_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(5);
    private final long idleMillis;
    private final java.util.function.BooleanSupplier bulkWorkRunning;
    private final List<Thread> running = new ArrayList<>();
    private volatile boolean stopping;

    public CourierWorker(Courier courier, int threads, long idleMillis) {
        this(courier, threads, idleMillis, () -> false);
    }

    /** {@code bulkWorkRunning}: while it answers true (the billing run is on in this process), delivering waits. */
    public CourierWorker(Courier courier, int threads, long idleMillis, java.util.function.BooleanSupplier bulkWorkRunning) {
        this.courier = courier;
        this.threads = threads;
        this.idleMillis = idleMillis;
        this.bulkWorkRunning = bulkWorkRunning;
    }

    public synchronized void start() {
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::loop, "mail-worker-" + i);
            t.setDaemon(true);
            running.add(t);
            t.start();
        }
    }

    private void loop() {
        long yieldingSince = 0;
        while (!stopping) {
            int n = 0;
            boolean yielding = bulkWorkRunning.getAsBoolean();
            if (!yielding) yieldingSince = 0;
            else if (yieldingSince == 0) yieldingSince = System.nanoTime();
            try {
                if (!yielding || System.nanoTime() - yieldingSince > MAX_YIELD_NANOS) n = courier.deliverDue();
            } catch (RuntimeException e) {
                log.error("mail worker: claiming or delivering failed", e);
            }
            if (n == 0 && !stopping) {
                try {
                    Thread.sleep(idleMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        stopping = true;
        for (Thread t : running) t.interrupt();
        for (Thread t : running) {
            try {
                t.join(35_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        running.clear();
    }
}

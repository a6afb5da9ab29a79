package tollgate.timeline;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tollgate.tenants.TenantClock;

/**
 * Polls for live tenants' due work once a second and runs it in batches ({@link LiveDrain}). Several server processes
 * may run one each. Closing stops it between two batches: the rows it had not claimed stay for the others.
 */
public final class TimelineWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TimelineWorker.class);
    private final LiveDrain drain;
    private final TenantClock clock;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "timeline-worker");
        t.setDaemon(true);
        return t;
    });

    public TimelineWorker(LiveDrain drain, TenantClock clock) {
        this.drain = drain;
        this.clock = clock;
    }

    public void start() {
        executor.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** Another duty of the same thread, every {@code seconds} seconds, first after one period. */
    public void alsoEvery(String name, int seconds, Runnable duty) {
        executor.scheduleWithFixedDelay(() -> {
            try {
                duty.run();
            } catch (RuntimeException e) {
                log.error("{} failed", name, e);
            }
        }, seconds, seconds, TimeUnit.SECONDS);
    }

    /** Another duty of the same thread, every second (e.g. keeping caches in step with other processes). */
    public void alsoEverySecond(String name, Runnable duty) {
        executor.scheduleWithFixedDelay(() -> {
            try {
                duty.run();
            } catch (RuntimeException e) {
                log.error("{} failed", name, e);
            }
        }, 0, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            drain.drain(clock::systemNow);
        } catch (RuntimeException e) {
            log.error("timeline worker tick failed", e);
        }
    }

    @Override
    public void close() {
        close(java.time.Duration.ofSeconds(10));
    }

    /** Stops, waiting up to {@code within} for the batches in hand (a server's stop gives them what its bound leaves). */
    public void close(java.time.Duration within) {
        drain.stop();
        executor.shutdown();
        try {
            executor.awaitTermination(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

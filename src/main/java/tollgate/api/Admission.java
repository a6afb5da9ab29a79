package tollgate.api;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import tollgate.core.Problem;

/**
 * At most {@code permits} API requests at their work at once, so that requests never hold every connection of the pool
 * and Tollgate's own workers (the live month-end, e-mails, webhooks) keep theirs under any load (decision 061). A
 * request takes its permit once its body is read (a slow sender holds none) and gives it back before its answer is
 * written (a slow reader holds none). One that waits longer than {@code wait} for a permit is answered 503
 * {@code overloaded} with {@code Retry-After: 1}, having done nothing.
 */
final class Admission {
    private final Semaphore permits;
    private final int size;
    private final long waitNanos;

    Admission(int permits, Duration wait) {
        if (permits < 1) throw new IllegalArgumentException("at least one request must be admitted");
        this.permits = new Semaphore(permits, true);
        this.size = permits;
        this.waitNanos = wait.toNanos();
    }

    /** A permit held until closed. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    Permit enter() {
        try {
            if (!permits.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) throw Problem.overloaded();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Problem.overloaded();
        }
        return permits::release;
    }

    /** Permits free now (for tests). */
    int available() {
        return permits.availablePermits();
    }

    /** Requests at their work now: the permits taken (the {@code tollgate_api_requests_at_work} gauge). */
    int atWork() {
        return size - permits.availablePermits();
    }

    /** Requests waiting for a turn now, an estimate as the semaphore gives it ({@code tollgate_api_requests_waiting}). */
    int waiting() {
        return permits.getQueueLength();
    }
}

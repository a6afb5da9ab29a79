package tollgate.notify;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mail worker: a few threads of its own, each claiming a batch of due messages, delivering it, and pausing when
 * nothing is due. Not the timeline's worker: a mail server may take seconds per message, and that thread (and the
 * test clock's advance, which runs timeline rows in the request) must never wait on one. Several server processes
 * may each run one: claims skip what another holds.
 */
public final class CourierWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CourierWorker.class);
    private final Courier courier;
    private final int threads;
    private final long idleMillis;
    private final List<Thread> running = new ArrayList<>();
    private volatile boolean stopping;

    public CourierWorker(Courier courier, int threads, long idleMillis) {
        this.courier = courier;
        this.threads = threads;
        this.idleMillis = idleMillis;
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
        while (!stopping) {
            int n = 0;
            try {
                n = courier.deliverDue();
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

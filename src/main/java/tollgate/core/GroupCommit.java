package tollgate.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Items that threads hand in at about the same time, run together in batches (decision 068): a thread that hands in an
 * item while fewer than {@code leaders} batches run becomes a leader; it takes up to {@code most} waiting items (its own
 * among them), runs them as one batch on its own thread, and goes on until its own item has run. When it leaves, a
 * waiting item's thread is woken as the next leader at once, so no item waits for a poll. {@link #join} returns once
 * the caller's item has run, on whichever thread: the batch itself records each item's outcome in the item.
 * <p>
 * A batch that throws has each of its items told by {@code failed}; the leader goes on. Nothing here knows what a batch
 * does; it is the hand-off only.
 */
public final class GroupCommit<T> {
    /** Runs one batch; what it answers each item it records in the item. */
    @FunctionalInterface
    public interface Batch<T> {
        void run(List<T> items);
    }

    private final int most;
    private final int leaders;
    private final Batch<T> batch;
    private final java.util.function.BiConsumer<T, RuntimeException> failed;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter<T>> waiting = new ArrayDeque<>();
    private int leading;

    public GroupCommit(int most, int leaders, Batch<T> batch, java.util.function.BiConsumer<T, RuntimeException> failed) {
        if (most < 1 || leaders < 1) throw new IllegalArgumentException("a batch holds at least one item, and one batch must run");
        this.most = most;
        this.leaders = leaders;
        this.batch = batch;
        this.failed = failed;
    }

    private static final class Waiter<T> {
        final T item;
        final Thread thread = Thread.currentThread();
        volatile boolean lead;
        volatile boolean done;

        Waiter(T item) {
            this.item = item;
        }
    }

    /** Hands in {@code item} and returns once it has run in a batch (this thread's or another's). */
    public void join(T item) {
        Waiter<T> me = new Waiter<>(item);
        lock.lock();
        try {
            waiting.add(me);
            if (leading < leaders) {
                leading++;
                me.lead = true;
            }
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        // Parked until this item has run or this thread is woken to lead (an unpark may come early or spuriously: look again).
        while (!me.done && !me.lead) {
            LockSupport.park(this);
            if (Thread.interrupted()) interrupted = true;
        }
        // A thread told to lead takes its turn even when another leader ran its item meanwhile: it must pass the lead on.
        // (The lead is given under the lock before the item can be taken, so a thread that sees done sees lead too.)
        if (me.lead && lead(me)) interrupted = true;
        if (interrupted) Thread.currentThread().interrupt();
    }

    /**
     * Runs batches from the head of the queue until {@code me}'s item has run, then passes the lead on (or gives it up);
     * answers whether this thread was interrupted meanwhile (the flag is cleared here, so that parking does not spin).
     */
    private boolean lead(Waiter<T> me) {
        boolean interrupted = false;
        try {
            while (!me.done) {
                List<Waiter<T>> taken = new ArrayList<>(most);
                lock.lock();
                try {
                    while (taken.size() < most && !waiting.isEmpty()) taken.add(waiting.poll());
                } finally {
                    lock.unlock();
                }
                // Another leader took this item (woken to lead, it came late): wait for that batch rather than spin. The flag is
                // read again right before parking: its wake-up may have been spent already, on the lock just taken.
                if (!taken.isEmpty()) runOne(taken);
                else if (!me.done) LockSupport.park(this);
                if (Thread.interrupted()) interrupted = true;
            }
        } finally {
            lock.lock();
            try {
                // Leaving (also on an Error out of a batch): this waiter, if still queued, is nobody's to lead; the lead goes
                // to the first waiter not leading already, or the count of leaders goes down.
                waiting.remove(me);
                Waiter<T> next = null;
                for (Waiter<T> w : waiting) {
                    if (!w.lead) {
                        next = w;
                        break;
                    }
                }
                if (next != null) {
                    next.lead = true;
                    LockSupport.unpark(next.thread);
                } else {
                    leading--;
                }
            } finally {
                lock.unlock();
            }
        }
        return interrupted;
    }

    /** How many batches run now or have a thread woken to run them (for tests: 0 once every item has run). */
    int leading() {
        lock.lock();
        try {
            return leading;
        } finally {
            lock.unlock();
        }
    }

    private void runOne(List<Waiter<T>> taken) {
        List<T> items = new ArrayList<>(taken.size());
        for (Waiter<T> w : taken) items.add(w.item);
        try {
            batch.run(items);
        } catch (RuntimeException e) {
            for (T item : items) failed.accept(item, e);
        } finally {
            // Each item's outcome was written before its done flag (volatile), so its thread reads it after waking.
            for (Waiter<T> w : taken) {
                w.done = true;
                if (w.thread != Thread.currentThread()) LockSupport.unpark(w.thread);
            }
        }
    }
}

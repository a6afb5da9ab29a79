package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Decision 068's hand-off: every item runs once, in batches of at most {@code most}, with at most {@code leaders} at once. */
class GroupCommitTest {
    /** An item and what its batch wrote into it. */
    static final class Item {
        final int n;
        volatile int ranIn = -1;
        volatile RuntimeException failure;

        Item(int n) {
            this.n = n;
        }
    }

    @Test
    void everyItemOfManyThreadsRunsOnceInBoundedBatchesWithBoundedLeaders() throws Exception {
        int threads = 32;
        int perThread = 300;
        AtomicInteger batches = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        ConcurrentHashMap<Integer, Integer> runs = new ConcurrentHashMap<>();
        GroupCommit<Item> group = new GroupCommit<>(8, 2, items -> {
            int now = running.incrementAndGet();
            mostRunning.accumulateAndGet(now, Math::max);
            int batch = batches.incrementAndGet();
            sizes.add(items.size());
            try {
                Thread.sleep(0, 200_000); // a transaction's worth of waiting, so that others queue up
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            for (Item i : items) {
                runs.merge(i.n, 1, Integer::sum);
                i.ranIn = batch;
            }
            running.decrementAndGet();
        }, (item, e) -> item.failure = e);

        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<?>> done = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            int first = t * perThread;
            done.add(pool.submit(() -> {
                start.await();
                for (int n = first; n < first + perThread; n++) {
                    Item item = new Item(n);
                    group.join(item);
                    // join returns only once the item's batch has run, whichever thread ran it.
                    assertThat(item.ranIn).isPositive();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        pool.shutdown();

        assertThat(runs).hasSize(threads * perThread);
        assertThat(runs.values()).containsOnly(1);
        assertThat(sizes).allSatisfy(s -> assertThat(s).isBetween(1, 8));
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(threads * perThread);
        assertThat(mostRunning.get()).isBetween(1, 2);
        assertThat(batches.get()).as("items ran together").isLessThan(threads * perThread / 2);
        assertThat(group.leading()).as("leaders once every item has run").isZero();
    }

    /**
     * Many short bursts with three leaders and tiny batches, where a lead is often handed to a waiter whose item another
     * leader then runs: every burst ends, and no lead is lost or counted twice (a leaked count would park later items
     * for ever once all three were gone).
     */
    @Test
    void burstsNeverLoseOrLeakALead() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        GroupCommit<Item> group = new GroupCommit<>(2, 3, items -> {
            if (items.getFirst().n % 7 == 0) Thread.yield();
            ran.addAndGet(items.size());
        }, (item, e) -> item.failure = e);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        int bursts = 200;
        int width = 24;
        for (int b = 0; b < bursts; b++) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < width; t++) {
                int n = b * width + t;
                done.add(pool.submit(() -> group.join(new Item(n))));
            }
            for (Future<?> f : done) f.get(10, TimeUnit.SECONDS);
            assertThat(group.leading()).as("leaders after burst %d", b).isZero();
        }
        pool.shutdown();
        assertThat(ran.get()).isEqualTo(bursts * width);
    }

    @Test
    void aBatchThatThrowsTellsEachOfItsItemsAndTheNextBatchesStillRun() throws Exception {
        GroupCommit<Item> group = new GroupCommit<>(4, 1, items -> {
            if (items.stream().anyMatch(i -> i.n % 10 == 0)) throw new IllegalStateException("batch with " + items.getFirst().n);
            for (Item i : items) i.ranIn = 1;
        }, (item, e) -> item.failure = e);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Item>> items = new ArrayList<>();
        for (int n = 0; n < 200; n++) {
            int k = n;
            items.add(pool.submit(() -> {
                Item item = new Item(k);
                group.join(item);
                return item;
            }));
        }
        for (Future<Item> f : items) {
            Item item = f.get(30, TimeUnit.SECONDS);
            // Each item either ran or was told why its batch failed; one with n % 10 == 0 never ran.
            assertThat(item.ranIn == 1 ^ item.failure != null).as("item %d", item.n).isTrue();
            if (item.n % 10 == 0) assertThat(item.failure).hasMessageStartingWith("batch with");
        }
        pool.shutdown();
    }

    @Test
    void aLoneItemRunsOnItsOwnThreadAtOnce() {
        Thread[] ranOn = new Thread[1];
        GroupCommit<Item> group = new GroupCommit<>(64, 1, items -> ranOn[0] = Thread.currentThread(), (item, e) -> item.failure = e);
        group.join(new Item(1));
        assertThat(ranOn[0]).isSameAs(Thread.currentThread());
    }
}

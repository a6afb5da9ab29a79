package tollgate.testing;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import java.util.function.LongToDoubleFunction;
import tollgate.cli.LoopbackClient;

/**
 * An open-loop load: requests sent at a set rate whatever the server answers, as many independent callers would send
 * them (a closed loop of N clients slows down with the server and so never measures it at a rate; this does not). A
 * pacing thread starts, every millisecond, the requests the rate says are due by then ({@code rate(elapsed)}, requests
 * per second, so a ramp is a function), each on a virtual thread of its own, over HTTP/1.1 keep-alive connections taken
 * from a pool (a new one when none is idle). What came back, or the error in its place, is kept with the instants it was
 * sent and answered.
 *
 * <p>The HTTP/1.1 is written by hand, on purpose: {@code java.net.http} cost about 1 ms of CPU a request here (as much as
 * the server's own work), which on 2 shared cores would have measured the caller. Only what Tollgate answers is read:
 * a status line, headers, and a body by {@code Content-Length} or chunked. A request the server closed the connection on
 * before any byte of an answer is "no answer" ({@code status} 0), as is a refused connection.
 *
 * <p>Requests in flight are capped ({@code maxInFlight}) so that a stalled server cannot make the caller open
 * connections without end; a request the cap held back is counted ({@link #heldBack}), never hidden: the offered rate
 * is what was sent.
 */
public final class OpenLoop implements AutoCloseable {
    /** One request to send: what it is (for the checks), and its method, path, headers and body. */
    public record Call(String kind, String subject, String method, String path, Map<String, String> headers, String body) {
        public static Call get(String kind, String subject, String path, Map<String, String> headers) {
            return new Call(kind, subject, "GET", path, headers, null);
        }

        public static Call post(String kind, String subject, String path, Map<String, String> headers, String json) {
            return new Call(kind, subject, "POST", path, headers, json);
        }

        byte[] bytes(String host) {
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (body != null) head.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
            head.append("\r\n");
            byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[h.length + content.length];
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(content, 0, all, h.length, content.length);
            return all;
        }
    }

    /**
     * What one request met: {@code status} 0 when there was no answer ({@code error} says why: refused, or closed before
     * an answer); the instants are {@link System#nanoTime}.
     */
    public record Shot(long n, String kind, String subject, long sentNanos, long answeredNanos, int status, String body,
                       String retryAfter, String error) {
        public boolean answered() {
            return status != 0;
        }
    }

    private final InetSocketAddress address;
    private final String host;
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Shot> shots = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong heldBack = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();
    private final LongToDoubleFunction rate;
    private final LongFunction<Call> next;
    private final int maxInFlight;
    private final int timeoutMillis;
    private volatile boolean stopped;
    private Thread pacer;
    private long startNanos;

    /**
     * {@code base}: the server ({@code http://host:port}); {@code rate}: requests per second at a number of nanoseconds
     * after {@link #start}; {@code next}: the n-th request (called in order, one at a time).
     */
    public OpenLoop(String base, LongToDoubleFunction rate, LongFunction<Call> next, int maxInFlight, Duration timeout) {
        URI uri = URI.create(base);
        this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
        this.host = uri.getHost() + ":" + uri.getPort();
        this.rate = rate;
        this.next = next;
        this.maxInFlight = maxInFlight;
        this.timeoutMillis = (int) timeout.toMillis();
    }

    /**
     * Before {@link #start}: {@code callers} closed loops (each sends its next request when the last is answered) for
     * {@code during}, so that a freshly started server compiles its hot paths at the pace it can answer; an open loop
     * at full rate on a cold JVM queues faster than it answers and never catches up. Its shots are kept with the others.
     */
    public void warmUp(int callers, Duration during) throws InterruptedException {
        long end = System.nanoTime() + during.toNanos();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < callers; i++)
            threads.add(Thread.startVirtualThread(() -> {
                while (System.nanoTime() < end) {
                    long[] n = new long[1];
                    Call call = nextCall(n);
                    inFlight.incrementAndGet();
                    send(n[0], call, System.nanoTime());
                }
            }));
        for (Thread t : threads) t.join();
    }

    private long issued;

    /** The next request, in order, whichever thread asks ({@code next} may draw from one seeded Random). */
    private synchronized Call nextCall(long[] n) {
        n[0] = issued++;
        return next.apply(n[0]);
    }

    public OpenLoop start() {
        startNanos = System.nanoTime();
        pacer = Thread.ofPlatform().name("open-loop pacer").daemon().start(this::pace);
        return this;
    }

    public long startNanos() {
        return startNanos;
    }

    private void pace() {
        long sent = 0;
        double due = 0;
        long last = startNanos;
        while (!stopped) {
            long now = System.nanoTime();
            due += rate.applyAsDouble(now - startNanos) * (now - last) / 1e9;
            last = now;
            while (sent < (long) due && !stopped) {
                sent++;
                long[] numbered = new long[1];
                Call call = nextCall(numbered);
                long n = numbered[0];
                if (inFlight.get() >= maxInFlight) {
                    heldBack.incrementAndGet();
                    continue;
                }
                inFlight.incrementAndGet();
                long sentAt = System.nanoTime();
                Thread.startVirtualThread(() -> send(n, call, sentAt));
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    private void send(long n, Call call, long sentAt) {
        Connection c = idle.poll();
        try {
            if (c == null) c = connect();
            LoopbackClient.Answer a = c.exchange(call.bytes(host));
            long at = System.nanoTime();
            if (a.closes()) c.close();
            else idle.add(c);
            shots.add(new Shot(n, call.kind(), call.subject(), sentAt, at, a.status(), a.body(), a.retryAfter(), null));
        } catch (IOException | RuntimeException e) {
            if (c != null) c.close();
            shots.add(new Shot(n, call.kind(), call.subject(), sentAt, System.nanoTime(), 0, null, null, e.getClass().getName()
                    + (e instanceof EOFException ? ": closed before an answer" : "")));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private Connection connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(address, 5_000);
            s.setSoTimeout(timeoutMillis);
            connections.incrementAndGet();
            return new Connection(s, new BufferedInputStream(s.getInputStream(), 8192), s.getOutputStream());
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private record Connection(Socket socket, InputStream in, OutputStream out) {
        LoopbackClient.Answer exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            return LoopbackClient.read(in);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing
            }
        }
    }

    /** Stops sending, and waits up to {@code within} for the requests still out to be answered or to fail. */
    public void stop(Duration within) throws InterruptedException {
        stopped = true;
        if (pacer != null) pacer.join(5_000);
        long deadline = System.nanoTime() + within.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
    }

    /** Requests still out. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Requests the rate asked for that the in-flight cap kept from being sent. */
    public long heldBack() {
        return heldBack.get();
    }

    /** Connections opened. */
    public int connections() {
        return connections.get();
    }

    /** What came back so far. */
    public List<Shot> shots() {
        return List.copyOf(shots);
    }

    /** Requests sent within {@code [from, to)} (nanoTime); complete once {@link #stop} has seen every request back. */
    public long sentBetween(long from, long to) {
        return shots.stream().filter(s -> s.sentNanos() >= from && s.sentNanos() < to).count();
    }

    /** Requests answered (any status) within {@code [from, to)}. */
    public long answeredBetween(long from, long to) {
        return shots.stream().filter(s -> s.answered() && s.answeredNanos() >= from && s.answeredNanos() < to).count();
    }

    @Override
    public void close() {
        stopped = true;
        for (Connection c; (c = idle.poll()) != null; ) c.close();
    }
}

package tollgate.api;

import io.javalin.Javalin;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Slow and numerous clients must not starve the others (issue 15 point 8, decision 044). Jetty reads requests without
 * holding a thread, so a slow client costs a socket and a little memory; what it must not get is that socket for ever:
 * <ul>
 * <li>a connection that has not sent one whole request head within {@link #HEADER_TIMEOUT} is closed (Jetty's idle
 * timeout alone restarts with every byte, so a byte a second would keep a connection for ever);</li>
 * <li>{@link #IDLE_TIMEOUT} for a connection that sends nothing, a request head of at most {@link #MAX_HEADER_BYTES}
 * (431 past it). No minimum body rate: on a loaded machine Jetty's measure cut off a local 2 MB body (the fuzz test
 * met it); a body is at most 1 MiB and read on a virtual thread, and the idle timeout bounds each pause;</li>
 * <li>at most {@link #MAX_CONNECTIONS} connections at once: past it Jetty stops accepting until some close, and the
 * timeouts above make sure they do.</li>
 * </ul>
 */
public final class SlowClients implements Connection.Listener {
    public static final Duration HEADER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    public static final int MAX_CONNECTIONS = 10_000;

    /** Each open connection and when it opened, on the monotonic clock (a duration, not a time of day). */
    private final Map<Connection, Long> open = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    /** The request-level limits, set on Javalin's HTTP configuration before the server is built. */
    static void configure(HttpConfiguration http) {
        http.setRequestHeaderSize(MAX_HEADER_BYTES);
        http.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    }

    /** The connection limit, on the server before it starts. */
    static void limit(Server server) {
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, server));
    }

    /** Watches the started server's connectors, and closes heads that are too slow, once a second until {@link #stop}. */
    public static SlowClients watch(Javalin app) {
        SlowClients watcher = new SlowClients();
        for (var connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof ServerConnector c) c.setIdleTimeout(IDLE_TIMEOUT.toMillis());
            if (connector instanceof org.eclipse.jetty.util.component.ContainerLifeCycle c) c.addBean(watcher);
        }
        Thread.ofVirtual().name("slow clients").start(() -> {
            while (!watcher.stopped) {
                watcher.sweep(System.nanoTime());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return watcher;
    }

    public void stop() {
        stopped = true;
    }

    /** Closes every connection older than the header timeout that has not yet sent a whole request head. */
    void sweep(long nowNanos) {
        open.forEach((c, openedAt) -> {
            if (c.getMessagesIn() == 0 && nowNanos - openedAt > HEADER_TIMEOUT.toNanos()) c.getEndPoint().close();
        });
    }

    /** How many connections are open now (for the tests). */
    public int openConnections() {
        return open.size();
    }

    @Override
    public void onOpened(Connection connection) {
        open.put(connection, System.nanoTime());
    }

    @Override
    public void onClosed(Connection connection) {
        open.remove(connection);
    }
}

package tollgate.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed sign-ins counted per user (the address typed, known or not: the answer must not tell them apart) and per
 * client address, in a sliding window. Past the limit every attempt is refused, right password or not, until the
 * oldest failure leaves the window. Kept in memory: a restart forgets, several nodes each count their own (decision 033).
 */
public final class LoginThrottle {
    private final int perUser;
    private final int perAddress;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    /** The client's address from the socket's peer and its X-Forwarded-For (believed from trusted proxies only). */
    private final java.util.function.BinaryOperator<String> client;

    public LoginThrottle(int perUser, int perAddress, Duration window, Clock clock) {
        this(perUser, perAddress, window, clock, (peer, forwardedFor) -> peer);
    }

    public LoginThrottle(int perUser, int perAddress, Duration window, Clock clock, java.util.function.BinaryOperator<String> client) {
        this.perUser = perUser;
        this.perAddress = perAddress;
        this.window = window;
        this.clock = clock;
        this.client = client;
    }

    /**
     * The address a request's sign-in counts against: the browser's, as a trusted proxy forwards it
     * ({@code TOLLGATE_TRUSTED_PROXIES}), so that every visitor behind one proxy does not share its count; the
     * socket's peer otherwise.
     */
    public String address(io.javalin.http.Context ctx) {
        return client.apply(ctx.ip(), ctx.header("X-Forwarded-For"));
    }

    /** How long the caller must wait, or {@link Duration#ZERO} when it may try. */
    public Duration wait(String scope, String user, String address) {
        Instant now = clock.instant();
        Duration a = waitFor("u|" + scope + "|" + user, perUser, now);
        Duration b = waitFor("a|" + scope + "|" + address, perAddress, now);
        return a.compareTo(b) >= 0 ? a : b;
    }

    public void failed(String scope, String user, String address) {
        Instant now = clock.instant();
        record("u|" + scope + "|" + user, now);
        record("a|" + scope + "|" + address, now);
    }

    /** A successful sign-in clears the user's failures (not the address's: one good account must not unlock guessing). */
    public void succeeded(String scope, String user) {
        failures.remove("u|" + scope + "|" + user);
    }

    private Duration waitFor(String key, int limit, Instant now) {
        Deque<Instant> times = failures.get(key);
        if (times == null) return Duration.ZERO;
        synchronized (times) {
            prune(times, now);
            if (times.size() < limit) return Duration.ZERO;
            return Duration.between(now, times.peekFirst().plus(window));
        }
    }

    private void record(String key, Instant now) {
        Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            prune(times, now);
            times.addLast(now);
            if (times.size() > 1000) times.removeFirst();
        }
        if (failures.size() > 100_000) failures.entrySet().removeIf(e -> e.getValue().isEmpty());
    }

    private void prune(Deque<Instant> times, Instant now) {
        while (!times.isEmpty() && !times.peekFirst().plus(window).isAfter(now)) times.removeFirst();
    }
}

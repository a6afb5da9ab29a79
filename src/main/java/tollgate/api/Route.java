package tollgate.api;

import java.util.List;
import java.util.Locale;
import tollgate.tenants.Tenant;

/**
 * One endpoint: its method, path (Javalin syntax, {@code {id}}), whether it needs a secret key, whether it is a
 * hot path whose access log is kept at DEBUG (sites' license checks), and its handler.
 */
public record Route(Method method, String path, boolean authenticated, boolean quiet, Handler handler, KeyScope keyScope,
                    Guard guard, int maxBodyBytes, boolean inOne, Together<?> together) {
    public enum Method {
        GET, POST, DELETE;

        public String lower() { return name().toLowerCase(Locale.ROOT); }
    }

    @FunctionalInterface
    public interface Handler {
        /** Answers the response body (status 200) or a {@link Reply}. */
        Object handle(Call call);
    }

    /**
     * Where an open route keeps the answers of its {@code Idempotency-Key}s: a tenant and a scope within it (null: the
     * request names nothing, and runs without one). Routes with a secret key keep them under the key's tenant.
     */
    @FunctionalInterface
    public interface KeyScope {
        tollgate.idempotency.Idempotency.Scope of(Call call);
    }

    /**
     * A check run before the body is read (a rate limit): a refused caller costs no parse. Its {@link Call} has no
     * body; it may read the path, query, headers and address.
     */
    @FunctionalInterface
    public interface Guard {
        void check(Call call);
    }

    /**
     * How a tenant's concurrent requests to a route {@link #inOneTransaction} run together, many in one transaction with
     * one statement per kind of row (decision 068). Each request's order is read on its own thread; a batch's orders are
     * then run by {@code runAll} on one thread, inside the transaction that also keeps their keys' answers.
     */
    public interface Together<O> {
        /** The request's order, read from its body; a {@link tollgate.core.Problem} sends the request down the route's own way. */
        O order(Call call);

        /**
         * In the caller's one transaction: for each order, in order, its answer's body, or the
         * {@link tollgate.core.Problem} that refuses it, in which case nothing was written for it.
         */
        List<Object> runAll(Tenant tenant, List<O> orders);
    }

    public Route(Method method, String path, boolean authenticated, boolean quiet, Handler handler, KeyScope keyScope) {
        this(method, path, authenticated, quiet, handler, keyScope, null, Http.MAX_BODY_BYTES, false, null);
    }

    public Route(Method method, String path, boolean authenticated, boolean quiet, Handler handler) {
        this(method, path, authenticated, quiet, handler, null);
    }

    public static Route get(String path, Handler h) { return new Route(Method.GET, path, true, false, h); }
    public static Route post(String path, Handler h) { return new Route(Method.POST, path, true, false, h); }
    public static Route delete(String path, Handler h) { return new Route(Method.DELETE, path, true, false, h); }

    /** The same route, open to callers without a secret key. */
    public Route open() { return new Route(method, path, false, quiet, handler, keyScope, guard, maxBodyBytes, inOne, together); }

    /** The same route, logged at DEBUG: it is called too often for a line per request. */
    public Route quietly() { return new Route(method, path, authenticated, true, handler, keyScope, guard, maxBodyBytes, inOne, together); }

    /** The same open route, honouring {@code Idempotency-Key} within the scope the request names. */
    public Route idempotentWithin(KeyScope scope) { return new Route(method, path, authenticated, quiet, handler, scope, guard, maxBodyBytes, inOne, together); }

    /**
     * The same route, its work and its {@code Idempotency-Key}'s answer written in one transaction (decision 055): for
     * a handler whose services write only to the database and need nothing committed before the end (no gateway call).
     */
    public Route inOneTransaction() { return new Route(method, path, authenticated, quiet, handler, keyScope, guard, maxBodyBytes, true, together); }

    /** The same route in one transaction, its tenant's concurrent requests run together by {@code t} (decision 068). */
    public Route together(Together<?> t) { return new Route(method, path, authenticated, quiet, handler, keyScope, guard, maxBodyBytes, true, t); }

    /** The same route, with {@code guard} run before its body (at most {@code maxBodyBytes}; 413 beyond) is read. */
    public Route guarded(Guard check, int maxBody) { return new Route(method, path, authenticated, quiet, handler, keyScope, check, maxBody, inOne, together); }
}

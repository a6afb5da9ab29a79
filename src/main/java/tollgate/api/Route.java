package tollgate.api;

import java.util.Locale;

/**
 * One endpoint: its method, path (Javalin syntax, {@code {id}}), whether it needs a secret key, whether it is a
 * hot path whose access log is kept at DEBUG (sites' license checks), and its handler.
 */
public record Route(Method method, String path, boolean authenticated, boolean quiet, Handler handler) {
    public enum Method {
        GET, POST, DELETE;

        public String lower() { return name().toLowerCase(Locale.ROOT); }
    }

    @FunctionalInterface
    public interface Handler {
        /** Answers the response body (status 200) or a {@link Reply}. */
        Object handle(Call call);
    }

    public static Route get(String path, Handler h) { return new Route(Method.GET, path, true, false, h); }
    public static Route post(String path, Handler h) { return new Route(Method.POST, path, true, false, h); }
    public static Route delete(String path, Handler h) { return new Route(Method.DELETE, path, true, false, h); }

    /** The same route, open to callers without a secret key. */
    public Route open() { return new Route(method, path, false, quiet, handler); }

    /** The same route, logged at DEBUG: it is called too often for a line per request. */
    public Route quietly() { return new Route(method, path, authenticated, true, handler); }
}

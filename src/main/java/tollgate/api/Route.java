package tollgate.api;

import java.util.Locale;

/** One endpoint: its method, path (Javalin syntax, {@code {id}}), whether it needs a secret key, and its handler. */
public record Route(Method method, String path, boolean authenticated, Handler handler) {
    public enum Method {
        GET, POST, DELETE;

        public String lower() { return name().toLowerCase(Locale.ROOT); }
    }

    @FunctionalInterface
    public interface Handler {
        /** Answers the response body (status 200) or a {@link Reply}. */
        Object handle(Call call);
    }

    public static Route get(String path, Handler h) { return new Route(Method.GET, path, true, h); }
    public static Route post(String path, Handler h) { return new Route(Method.POST, path, true, h); }
    public static Route delete(String path, Handler h) { return new Route(Method.DELETE, path, true, h); }

    /** The same route, open to callers without a secret key. */
    public Route open() { return new Route(method, path, false, handler); }
}

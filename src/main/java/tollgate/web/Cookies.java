package tollgate.web;

import io.javalin.http.Context;
import java.util.function.Predicate;

/**
 * Set-Cookie written by hand, so every attribute is visible here: always {@code HttpOnly} and {@code SameSite=Lax};
 * {@code Secure} when the request came over https: directly, or per {@code X-Forwarded-Proto: https} when the peer that
 * sent the request is one of the trusted proxies ({@code TOLLGATE_TRUSTED_PROXIES}, the list that also decides whose
 * {@code X-Forwarded-For} is believed). Anybody else's X-Forwarded-Proto is ignored.
 */
public final class Cookies {
    private final Predicate<String> trustedProxy;

    /** {@code trustedProxy}: whether a peer's address (the socket's, {@code ctx.ip()}) is a proxy we were told to trust. */
    public Cookies(Predicate<String> trustedProxy) {
        this.trustedProxy = trustedProxy;
    }

    public boolean secure(Context ctx) {
        if ("https".equalsIgnoreCase(ctx.scheme())) return true;
        return "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto")) && trustedProxy.test(ctx.ip());
    }

    /** A cookie for this browser session (no Max-Age: the server's timeouts end it, closing the browser forgets it). */
    public void set(Context ctx, String name, String value, String path) {
        ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=" + path + "; HttpOnly; SameSite=Lax"
                + (secure(ctx) ? "; Secure" : ""));
    }

    public void clear(Context ctx, String name, String path) {
        ctx.res().addHeader("Set-Cookie", name + "=; Path=" + path + "; Max-Age=0; HttpOnly; SameSite=Lax"
                + (secure(ctx) ? "; Secure" : ""));
    }
}

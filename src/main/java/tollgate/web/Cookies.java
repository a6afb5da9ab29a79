package tollgate.web;

import io.javalin.http.Context;

/**
 * Set-Cookie written by hand, so every attribute is visible here: always {@code HttpOnly} and {@code SameSite=Lax};
 * {@code Secure} when the request came over https (directly, or per X-Forwarded-Proto from a proxy we were told to trust).
 */
public final class Cookies {
    private final boolean trustForwardedProto;

    public Cookies(boolean trustForwardedProto) {
        this.trustForwardedProto = trustForwardedProto;
    }

    public boolean secure(Context ctx) {
        if ("https".equalsIgnoreCase(ctx.scheme())) return true;
        return trustForwardedProto && "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
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

package tollgate.web;

import io.javalin.http.Context;
import java.util.Optional;

/**
 * CSRF tokens: a signed-in browser's is its session's (a new one at each sign-in); before sign-in (the sign-up and
 * login forms) a random token in its own HttpOnly cookie, sent back in the form (double submit). Every POST must carry
 * it as the form field {@link #FIELD} or, from htmx, the header {@link #HEADER} (the layout sets it on the body).
 */
public final class Csrf {
    public static final String FIELD = "_csrf";
    public static final String HEADER = "X-CSRF-Token";
    private static final String COOKIE = "tg_csrf";
    private final Cookies cookies;

    public Csrf(Cookies cookies) {
        this.cookies = cookies;
    }

    /** The token this request's pages put in their forms (sets the anonymous cookie when the browser has none). */
    public String token(Context ctx, Optional<WebSession> session, String path) {
        if (session.isPresent()) return session.get().csrfToken();
        String mine = ctx.attribute(COOKIE);
        if (mine != null) return mine;
        String cookie = ctx.cookie(COOKIE);
        if (cookie == null || cookie.length() != 43) {
            cookie = Tokens.random();
            cookies.set(ctx, COOKIE, cookie, path);
        }
        ctx.attribute(COOKIE, cookie);
        return cookie;
    }

    /** Whether this POST carries the token it must. */
    public boolean valid(Context ctx, Optional<WebSession> session) {
        String sent = ctx.header(HEADER);
        if (sent == null) sent = ctx.formParam(FIELD);
        String expected = session.map(WebSession::csrfToken).orElseGet(() -> ctx.cookie(COOKIE));
        return Tokens.same(sent, expected);
    }
}

package tollgate.web;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * A message for the next page a browser sees ("You have signed out"), carried in a short-lived cookie across the
 * redirect that follows a POST, shown once. Rendered escaped like everything else.
 */
public final class Flashes {
    private static final String COOKIE = "tg_flash";
    private final Cookies cookies;

    public Flashes(Cookies cookies) {
        this.cookies = cookies;
    }

    public void add(Context ctx, Layout.Flash.Kind kind, String message, String path) {
        String value = kind.name() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(message.getBytes(StandardCharsets.UTF_8));
        cookies.set(ctx, COOKIE, value, path);
    }

    /** The message waiting for this request, if any; it is cleared. */
    public List<Layout.Flash> take(Context ctx, String path) {
        String value = ctx.cookie(COOKIE);
        if (value == null || value.isEmpty()) return List.of();
        cookies.clear(ctx, COOKIE, path);
        try {
            int dot = value.indexOf('.');
            Layout.Flash.Kind kind = Layout.Flash.Kind.valueOf(value.substring(0, dot));
            String message = new String(Base64.getUrlDecoder().decode(value.substring(dot + 1)), StandardCharsets.UTF_8);
            return message.length() > 300 ? List.of() : List.of(new Layout.Flash(kind, message));
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}

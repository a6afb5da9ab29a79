package tollgate.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every web page goes through, portal and console alike: security headers on every answer, a CSRF check before
 * every POST handler runs (a forged POST gets the 403 page and changes nothing), and {@link WebError}s turned into
 * error pages. A section (the portal, the console) adds its routes through a {@link Router}.
 */
public final class Web {
    /** No inline script or style anywhere: what the pages run and wear comes from /assets. */
    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
    private static final Logger log = LoggerFactory.getLogger(Web.class);

    /** A section of pages: registers its routes. */
    public interface Section {
        void routes(Router router);
    }

    /** How a section tells whether a POST carries its CSRF token (it knows where its sessions are). */
    @FunctionalInterface
    public interface CsrfCheck {
        boolean valid(Context ctx);
    }

    /** How a section draws its error pages (its own layout, brand and links). */
    @FunctionalInterface
    public interface ErrorPages {
        void send(Context ctx, WebError error);
    }

    /**
     * Where a section puts the tenant a request acts for, once it knows it ({@code tollgate.tenants.Tenant}), so that
     * {@link AfterPost} can tell whose work a form's change made due.
     */
    public static final String TENANT = "web.tenant";

    /**
     * Runs after a POST handler that changed something (it ended normally or with a redirect): a test tenant's pages
     * then run what the change made due by its clock, as its API requests do and a live tenant's worker does within a
     * second (decisions 028 and 087); without it a portal signup's first charge would wait for the tenant's next API call.
     */
    @FunctionalInterface
    public interface AfterPost {
        void ran(Context ctx);
    }

    private final Assets assets;
    private final AfterPost afterPost;

    public Web(Assets assets) {
        this(assets, ctx -> {});
    }

    public Web(Assets assets, AfterPost afterPost) {
        this.assets = assets;
        this.afterPost = afterPost;
    }

    public Assets assets() {
        return assets;
    }

    /** Adds the assets route and every section's routes to the server's configuration. */
    public void install(JavalinConfig config, List<Section> sections) {
        config.routes.get("/assets/{name}", assets::serve);
        for (Section s : sections) s.routes(new Router(config, afterPost));
    }

    /** Registers a section's pages, each wrapped in the headers, the CSRF check (POST) and the error pages. */
    public static final class Router {
        private final JavalinConfig config;
        private final AfterPost afterPost;
        private CsrfCheck csrf;
        private ErrorPages errors;

        Router(JavalinConfig config, AfterPost afterPost) {
            this.config = config;
            this.afterPost = afterPost;
        }

        /** Must be called before {@link #post}: a POST route without a CSRF check cannot be registered. */
        public Router guardedBy(CsrfCheck csrf, ErrorPages errors) {
            this.csrf = csrf;
            this.errors = errors;
            return this;
        }

        public Router get(String path, Handler page) {
            config.routes.get(path, ctx -> run(ctx, page, false));
            return this;
        }

        public Router post(String path, Handler page) {
            if (csrf == null) throw new IllegalStateException("call guardedBy(...) before adding POST " + path);
            config.routes.post(path, ctx -> run(ctx, page, true));
            return this;
        }

        private void run(Context ctx, Handler page, boolean post) throws Exception {
            headers(ctx);
            try {
                if (post && !csrf.valid(ctx)) {
                    log.info("refused a POST to {} without a valid CSRF token", ctx.path());
                    throw new WebError(403, "This form has expired",
                            "The request could not be verified. Go back, reload the page and send the form again.");
                }
                try {
                    page.handle(ctx);
                } catch (SeeOther e) {
                    if (post) afterPost.ran(ctx);
                    throw e;
                }
                if (post) afterPost.ran(ctx);
            } catch (SeeOther e) {
                seeOther(ctx, e.location());
            } catch (WebError e) {
                if (errors == null) throw e;
                errors.send(ctx, e);
            } catch (RuntimeException e) {
                if (!tollgate.core.Database.unavailable(e)) throw e;
                unavailable(ctx, e);
            }
        }
    }

    /**
     * The database cannot be reached (a restart, a failover): 503 with {@code Retry-After} and a plain page that needs
     * nothing from the database (a section's own error page reads its session and tenant), instead of a 500 (decision 051).
     */
    static void unavailable(Context ctx, RuntimeException e) {
        log.warn("the database cannot be reached: answered the 503 page for {} ({})", ctx.path(), e.toString());
        headers(ctx);
        ctx.header("Retry-After", Integer.toString(tollgate.core.Problem.DATABASE_RETRY_AFTER_SECONDS));
        ctx.status(503).contentType("text/html; charset=utf-8").result("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Back in a moment</title></head>"
                + "<body><main><h1>Back in a moment</h1><p>We cannot reach our records just now. Please try again in a few "
                + "seconds.</p></main></body></html>\n");
    }

    /** 303 to {@code location}: after a POST the browser GETs the next page (no resubmission on reload). */
    public static void seeOther(Context ctx, String location) {
        ctx.status(303).header("Location", location).result("");
    }

    /** The headers every page and error page carries. */
    public static void headers(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
    }
}

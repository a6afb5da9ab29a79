package tollgate.api;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.tenants.Tenant;

/** One API call as a handler sees it: the tenant, the path and query parameters, the JSON body. */
public final class Call {
    private final Context ctx;
    private final Tenant tenant;
    private final byte[] rawBody;
    private final tollgate.idempotency.Idempotency.Claim claim;
    private Body body;

    Call(Context ctx, Tenant tenant, byte[] rawBody) {
        this(ctx, tenant, rawBody, tollgate.idempotency.Idempotency.Claim.NONE);
    }

    private Call(Context ctx, Tenant tenant, byte[] rawBody, tollgate.idempotency.Idempotency.Claim claim) {
        this.ctx = ctx;
        this.tenant = tenant;
        this.rawBody = rawBody;
        this.claim = claim;
    }

    /** The same call, its work run under {@code claim} of its {@code Idempotency-Key}. */
    Call under(tollgate.idempotency.Idempotency.Claim claim) {
        return new Call(ctx, tenant, rawBody, claim);
    }

    /**
     * Where a route whose work takes several transactions records the object it makes first (decision 075); does nothing
     * when the call has no {@code Idempotency-Key}.
     */
    public tollgate.core.RecoveryPoint recoveryPoint() {
        return claim.recoveryPoint();
    }

    /**
     * The object a request with this call's {@code Idempotency-Key}, cut off by a crash, recorded as made before this
     * retry took its key over (decision 075); null when there is none, and the work runs as new.
     */
    public String resumedFrom() {
        return claim.resumedFrom();
    }

    public Tenant tenant() {
        if (tenant == null) throw new IllegalStateException("route is open: no tenant");
        return tenant;
    }

    /** The tenant, or null on an open route. */
    Tenant tenantOrNull() {
        return tenant;
    }

    public Body body() {
        if (body == null) body = Body.parse(rawBody);
        return body;
    }

    /** A path's id; one holding a NUL or a lone surrogate names nothing (and would be refused by PostgreSQL): 404. */
    public String path(String name) {
        String v = ctx.pathParam(name);
        if (!Body.isPlainText(v)) throw new Problem(404, "resource_missing", "No such object: an id holds no NUL or lone surrogate", null);
        return v;
    }

    public String query(String name) {
        String v = ctx.queryParam(name);
        if (v != null && !Body.isPlainText(v))
            throw Problem.invalid(name, "parameter_invalid", "'" + name + "' holds a NUL character or a lone surrogate");
        return v == null || v.isEmpty() ? null : v;
    }

    public String clientAddress() {
        return ctx.ip();
    }

    /** A request header, or null when absent or empty. */
    public String header(String name) {
        String v = ctx.header(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** A value a route keeps for the rest of this request (e.g. that a check already ran). */
    public Object attribute(String name) {
        return ctx.attribute(name);
    }

    public void attribute(String name, Object value) {
        ctx.attribute(name, value);
    }

    private static final java.util.regex.Pattern HOST =
            java.util.regex.Pattern.compile("([A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?");

    /**
     * The scheme, host and port the caller used, e.g. {@code https://billing.example.com}: as one of the trusted
     * {@code proxies} passes them on ({@code X-Forwarded-Proto}, {@code X-Forwarded-Host}), else from the request itself
     * (anybody else's forwarded headers are ignored, as for the cookies' {@code Secure} and the sign-in throttle); null
     * when the host is not a plain host name or address.
     */
    public String origin(ClientAddresses proxies) {
        boolean proxied = proxies.trusts(ctx.ip());
        String proto = proxied ? ctx.header("X-Forwarded-Proto") : null;
        String scheme = "https".equalsIgnoreCase(proto) ? "https" : "http".equalsIgnoreCase(proto) ? "http" : ctx.scheme();
        String forwarded = proxied ? ctx.header("X-Forwarded-Host") : null;
        String host = forwarded != null ? forwarded.split(",")[0].strip() : ctx.header("Host");
        if (host == null || !HOST.matcher(host).matches()) return null;
        return scheme + "://" + host;
    }

    public Paging paging() {
        String limit = query("limit");
        int n = Paging.DEFAULT_LIMIT;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                throw Problem.invalid("limit", "parameter_invalid", "'limit' must be an integer between 1 and " + Paging.MAX_LIMIT);
            }
        }
        return new Paging(n, query("starting_after"));
    }

    /** An RFC 3339 instant such as {@code 2026-04-04T00:00:00Z}. */
    public static Instant instant(String field, String value) {
        if (value == null) throw Problem.missing(field);
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw Problem.invalid(field, "timestamp_invalid", "'" + field + "' must be an RFC 3339 timestamp such as 2026-04-04T00:00:00Z");
        }
    }
}

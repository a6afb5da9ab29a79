package tollgate.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tollgate.core.Database;
import tollgate.core.Json;
import tollgate.core.Problem;
import tollgate.idempotency.Idempotency;
import tollgate.idempotency.Idempotency.Answer;
import tollgate.tenants.Tenant;
import tollgate.tenants.Tenants;

/**
 * The HTTP conventions, in one place: request ids, bearer keys, JSON bodies of at most 1 MiB,
 * {@code Idempotency-Key} on POST, RFC 9457 problem JSON for every error, access logs and metrics.
 */
public final class Http {
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    public static final String REQUEST_ID_HEADER = "Request-Id";
    private static final Logger log = LoggerFactory.getLogger("tollgate.http");
    private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String START_NANOS = "tollgate.start";
    static final String JSON = "application/json";
    private static final String ROUTE = "tollgate.route";
    private static final String PROBLEM_JSON = "application/problem+json";

    private final Tenants tenants;
    private final Idempotency idempotency;
    private final MeterRegistry metrics;
    private final Runnable awaitReady;
    private final DueNow dueNow;
    private final java.util.concurrent.ConcurrentHashMap<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    /** A tenant's concurrent requests to a route that runs them together (decision 068). */
    private final RequestBatches batches;
    /** How many batches of one tenant's requests to one route run at once (decision 068). */
    static final int BATCHES_AT_ONCE = 2;

    public Http(Tenants tenants, Idempotency idempotency, MeterRegistry metrics, Runnable awaitReady, DueNow dueNow) {
        DistributionSummary together = DistributionSummary
                .builder("http.server.requests.together").description("API requests run in one transaction together (decision 068)")
                .register(metrics);
        this.batches = new RequestBatches(idempotency, dueNow, () -> writeHook, this::settled, BATCHES_AT_ONCE, together::record);
        this.awaitReady = awaitReady;
        this.dueNow = dueNow;
        this.tenants = tenants;
        this.idempotency = idempotency;
        this.metrics = metrics;
    }

    private volatile Admission admission = new Admission(Integer.MAX_VALUE, java.time.Duration.ZERO);

    /** What an admitted request's work runs within: the lock waits of its transactions bounded (decision 064). */
    @FunctionalInterface
    public interface Turn {
        Answer run(java.util.function.Supplier<Answer> work);
    }

    private volatile Turn turn = java.util.function.Supplier::get;

    /**
     * At most {@code permits} requests at their work at once; one that waits {@code wait} for its turn is answered 503
     * {@code overloaded} (decision 061). Each admitted request's work runs within {@code turn}.
     */
    public Http admitting(int permits, java.time.Duration wait, Turn turn) {
        this.admission = new Admission(permits, wait);
        this.turn = turn;
        // What an operator watches for "overloaded": requests at work (at most permits) and those waiting for a turn.
        io.micrometer.core.instrument.Gauge.builder("tollgate.api.requests.at_work", this, h -> h.admission.atWork())
                .description("API requests at their work now (at most TOLLGATE_API_CONCURRENCY)").register(metrics);
        io.micrometer.core.instrument.Gauge.builder("tollgate.api.requests.waiting", this, h -> h.admission.waiting())
                .description("API requests waiting for a turn now").register(metrics);
        return this;
    }

    /**
     * Told of API writes that succeeded (2xx), in their transaction when they have one: the audit log's API side
     * (decision 041); several at once for requests run together (decision 068).
     */
    @FunctionalInterface
    public interface WriteHook {
        void written(Tenant tenant, List<Write> writes);
    }

    /** One successful API write: by which secret key, which call, the object it answered (null: none) and its status. */
    public record Write(String secretKey, String method, String path, String objectId, int status) {}

    private volatile WriteHook writeHook;

    public Http onWrite(WriteHook hook) {
        this.writeHook = hook;
        return this;
    }

    /** Tells the write hook of a successful non-GET call of a key (the sites' quiet routes aside). */
    private void written(Route route, Context ctx, Answer answer) {
        if (ctx.attribute(AUDITED) != null) return;
        try {
            audit(route, ctx, answer);
        } catch (RuntimeException e) {
            log.error("could not record an API write in the audit log: {} {}", route.method(), ctx.path(), e);
        }
    }

    /**
     * The audit line of a write answered in one transaction with its work (decision 058): written in that transaction,
     * so it exists exactly when the change does and costs no commit of its own. A failure fails the request.
     */
    private Answer auditedInTheWork(Route route, Context ctx, Answer answer) {
        audit(route, ctx, answer);
        ctx.attribute(AUDITED, Boolean.TRUE);
        return answer;
    }

    private void audit(Route route, Context ctx, Answer answer) {
        WriteHook hook = writeHook;
        Write write = write(route, ctx, answer);
        if (hook != null && write != null) hook.written(ctx.attribute(TENANT), List.of(write));
    }

    /** What the audit log records of a call's answer: null for none (a read, a site's call, a replay, a refusal). */
    private static Write write(Route route, Context ctx, Answer answer) {
        String key = ctx.attribute(KEY);
        if (key == null || route.method() == Route.Method.GET || route.quiet() || answer.replayed()) return null;
        int status = answer.status();
        if (status < 200 || status > 299) return null;
        String objectId = null;
        try {
            com.fasterxml.jackson.databind.JsonNode id = ApiJson.MAPPER.readTree(answer.body()).get("id");
            if (id != null && id.isTextual()) objectId = id.asText();
        } catch (java.io.IOException | RuntimeException e) {
            // an answer that is not an object has no id to name
        }
        return new Write(key, route.method().name(), ctx.path(), objectId, status);
    }

    private static final String KEY = "tollgate.secret-key";
    private static final String AUDITED = "tollgate.audited";
    private static final String TENANT = "tollgate.tenant";

    /** The query parameters each documented route takes, by "GET /v1/plans" (OpenApi#queryParameters); empty: no check. */
    private volatile java.util.Map<String, java.util.Set<String>> queryParameters = java.util.Map.of();

    /**
     * Refuses, on every tenant's route the OpenAPI document describes, a query parameter it does not list (decision 094): a
     * misspelt filter ({@code ?stauts=open}) would otherwise list everything, as Stripe refuses unknown parameters.
     */
    public Http takingQueryParameters(java.util.Map<String, java.util.Set<String>> byRoute) {
        this.queryParameters = java.util.Map.copyOf(byRoute);
        return this;
    }

    private void refuseUndocumentedQuery(Route route, Context ctx) {
        // A tenant's routes only: health checks and the sites' keyless checks take what their callers append.
        if (!route.authenticated()) return;
        java.util.Set<String> allowed = queryParameters.get(route.method().name() + " " + route.path());
        if (allowed == null) return;
        for (String name : ctx.queryParamMap().keySet())
            if (!allowed.contains(name)) throw Problem.invalid(name, "unknown_parameter", "Unknown query parameter '" + name + "'");
    }

    public Javalin create(List<Route> routes) {
        return create(routes, config -> {});
    }

    /** The same, with the web pages' routes ({@code pages}: the portal, the console) added after the API's. */
    public Javalin create(List<Route> routes, java.util.function.Consumer<io.javalin.config.JavalinConfig> pages) {
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.http.prefer405over404 = true;
            config.concurrency.useVirtualThreads = true;
            config.jetty.modifyServer(server -> {
                // SIGTERM: stop taking connections, let requests in flight finish (up to 20 s), answer new ones on open
                // connections 503 with Retry-After (decision 045).
                server.setStopTimeout(20_000);
                server.setErrorHandler(new JettyErrors());
                server.insertHandler(new Draining());
                SlowClients.limit(server);
            });
            config.jetty.modifyHttpConfiguration(SlowClients::configure);
            config.routes.before(this::begin);
            // Hot routes first: Javalin tries each route's pattern in turn, and sites call these most.
            List<Route> ordered = java.util.stream.Stream.concat(routes.stream().filter(Route::quiet),
                    routes.stream().filter(r -> !r.quiet())).toList();
            // A fixed segment of one method's route is no id for another method's (GET /v1/licenses/activate is not the
            // license "activate"): 405, as for a path no route of the method has (decision 090). Registered first: Javalin
            // takes the first route that matches.
            for (Shadowed s : shadowed(routes)) {
                io.javalin.http.Handler refuse = ctx -> { throw new io.javalin.http.MethodNotAllowedResponse(); };
                switch (s.method()) {
                    case GET -> config.routes.get(s.path(), refuse).head(s.path(), refuse);
                    case POST -> config.routes.post(s.path(), refuse);
                    case DELETE -> config.routes.delete(s.path(), refuse);
                }
            }
            for (Route route : ordered) {
                switch (route.method()) {
                    // HEAD is GET without the body, the key checked as for GET: left to Javalin, a HEAD on any GET route
                    // was 200 without running it, authenticated or not (decision 090).
                    case GET -> config.routes.get(route.path(), ctx -> dispatch(route, ctx)).head(route.path(), ctx -> dispatch(route, ctx));
                    case POST -> config.routes.post(route.path(), ctx -> dispatch(route, ctx));
                    case DELETE -> config.routes.delete(route.path(), ctx -> dispatch(route, ctx));
                }
            }
            pages.accept(config);
            config.routes.exception(HttpResponseException.class, (e, ctx) -> fromJavalin(e, ctx));
            config.routes.exception(ArithmeticException.class, Http::amountTooLarge);
            config.routes.exception(Exception.class, Http::internalError);
            config.routes.after(this::end);
        });
    }

    /** A method and a fixed path that a route of that method with a parameter there would take for an id. */
    record Shadowed(Route.Method method, String path) {}

    /**
     * The paths of {@code routes} that another method's route would read as a parameter ({@code GET /v1/licenses/{id}}
     * takes {@code /v1/licenses/activate}, a POST route's path), where no route of that method has the path itself.
     */
    static List<Shadowed> shadowed(List<Route> routes) {
        java.util.Set<Shadowed> own = new java.util.HashSet<>();
        for (Route r : routes) own.add(new Shadowed(r.method(), r.path()));
        java.util.Set<Shadowed> found = new java.util.LinkedHashSet<>();
        for (Route fixed : routes)
            for (Route taking : routes) {
                Shadowed s = new Shadowed(taking.method(), fixed.path());
                if (!own.contains(s) && takesForParameter(taking.path(), fixed.path())) found.add(s);
            }
        return List.copyOf(found);
    }

    /** Whether the route path {@code pattern} matches {@code path} with a parameter standing for a fixed segment of it. */
    private static boolean takesForParameter(String pattern, String path) {
        String[] p = pattern.split("/", -1);
        String[] s = path.split("/", -1);
        if (p.length != s.length) return false;
        boolean forParameter = false;
        for (int i = 0; i < p.length; i++) {
            if (p[i].startsWith("{")) forParameter |= !s[i].startsWith("{");
            else if (!p[i].equals(s[i])) return false;
        }
        return forParameter;
    }

    private void begin(Context ctx) {
        ctx.attribute(START_NANOS, System.nanoTime());
        // Requests wait at the door while the server starts; /health answers at once that it is starting.
        if (!OpsApi.HEALTH.equals(ctx.path())) awaitReady.run();
        String incoming = ctx.header("X-Request-Id");
        String id = incoming != null && CLIENT_REQUEST_ID.matcher(incoming).matches() ? incoming : newRequestId();
        ctx.attribute(REQUEST_ID_HEADER, id);
        ctx.header(REQUEST_ID_HEADER, id);
        MDC.put("request_id", id);
    }

    private void end(Context ctx) {
        Long start = ctx.attribute(START_NANOS);
        long nanos = start == null ? 0 : System.nanoTime() - start;
        Route route = ctx.attribute(ROUTE);
        String path = route == null ? "unmatched" : route.path();
        String method = ctx.method().name();
        int status = ctx.statusCode();
        timers.computeIfAbsent(method + " " + path + " " + status, k -> Timer.builder("http.server.requests")
                        .tag("method", method).tag("route", path).tag("status", Integer.toString(status)).register(metrics))
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (route == null || !route.quiet() || log.isDebugEnabled()) {
            String line = "method={} path={} status={} duration_ms={} tenant={}";
            Object[] args = {method, ctx.path(), status, nanos / 1_000_000, Optional.ofNullable(ctx.attribute("tenant")).orElse("-")};
            if (route != null && route.quiet()) log.debug(line, args);
            else log.info(line, args);
        }
        MDC.remove("request_id");
    }

    private void dispatch(Route route, Context ctx) {
        ctx.attribute(ROUTE, route);
        Answer answer;
        try {
            answer = answer(route, ctx);
        } catch (Problem p) {
            answer = refusal(p, ctx);
        } catch (RuntimeException e) {
            if (Database.unavailable(e)) {
                // The database restarting or failing over is no fault of the caller's, nor a 500 (decision 051).
                log.warn("the database cannot be reached: answered 503 database_unavailable ({})", rootMessage(e));
                answer = refusal(Problem.databaseUnavailable(), ctx);
            } else if (Database.lostRace(e)) {
                // A deadlock victim or a serialization failure is no fault of the caller's, nor a 500: its transaction was
                // rolled back whole and the same request may succeed (its idempotency key was released on the way out).
                log.warn("transaction lost a race for locks: answered 503 lock_timeout", e);
                answer = refusal(Problem.lockTimeout(), ctx);
            } else {
                throw e;
            }
        }
        if (answer != null) {
            send(ctx, answer);
            written(route, ctx, answer);
        }
    }

    private Answer answer(Route route, Context ctx) {
        Tenant tenant = route.authenticated() ? authenticate(ctx) : null;
        refuseUndocumentedQuery(route, ctx);
        if (route.guard() != null) route.guard().check(new Call(ctx, tenant, EMPTY));
        byte[] raw = readBody(ctx, route.maxBodyBytes());
        // Only a tenant's API work takes a turn, once its body is read and before its answer is written (decision 061): the
        // sites' checks (cached), health, metrics and the OpenAPI document never wait behind writes stuck on a lock.
        if (!route.authenticated() || route.quiet()) return work(route, ctx, tenant, raw);
        try (Admission.Permit permit = admission.enter()) {
            return turn.run(() -> work(route, ctx, tenant, raw));
        }
    }

    private Answer work(Route route, Context ctx, Tenant tenant, byte[] raw) {
        Call call = new Call(ctx, tenant, raw);
        String key = ctx.header("Idempotency-Key");
        if (route.together() != null && tenant != null) {
            // Run with the tenant's other requests to the route (decision 068); null: this one runs on its own, below.
            Answer together = batches.run(route, tenant, call, ctx.path(), key, raw, requestId(ctx), ctx.attribute(KEY));
            if (together != null) {
                ctx.attribute(AUDITED, Boolean.TRUE);
                return together;
            }
        }
        if (route.method() == Route.Method.POST && tenant != null && key != null) {
            // The work and the key's answer in one transaction (decision 055); what it made due runs after the commit.
            if (route.inOne()) {
                // Whether the work made anything due is known before the commit; when not, nothing is looked for after it.
                boolean[] madeDue = {true};
                return idempotency.runInOne(tenant, key, "POST", ctx.path(), raw, () -> {
                    Answer work = auditedInTheWork(route, ctx, run(route, call, ctx, false));
                    madeDue[0] = dueNow.madeDue(tenant);
                    return work;
                }, first -> madeDue[0] ? settled(tenant, first) : first);
            }
            return idempotency.run(tenant, key, "POST", ctx.path(), raw, claim -> run(route, call.under(claim), ctx));
        }
        if (route.method() == Route.Method.POST && route.keyScope() != null && key != null) {
            Idempotency.Scope scope = route.keyScope().of(call);
            if (scope != null) return idempotency.runWithin(scope, key, "POST", ctx.path(), raw, claim -> run(route, call.under(claim), ctx));
        }
        return run(route, call, ctx);
    }

    /**
     * Runs the handler and renders what it answers. Raw bodies (PDFs, metrics) are written straight away
     * and answer null: only JSON answers are kept for idempotent replay.
     */
    private Answer run(Route route, Call call, Context ctx) {
        return run(route, call, ctx, true);
    }

    /** The same; {@code settle}: what the change made due runs before the answer (else the caller runs it after a commit). */
    private Answer run(Route route, Call call, Context ctx, boolean settle) {
        try {
            Object result = route.handler().handle(call);
            // A change has committed (a refusal threw above): what it made due on a test tenant's clock runs now, inside
            // the idempotent call, so a replay answers what this answer shows (decision 028). The sites' hot routes
            // (quiet) make nothing due.
            if (settle && route.method() != Route.Method.GET && !route.quiet()) result = dueNow.settle(call.tenantOrNull(), result);
            if (result instanceof Reply reply && reply.contentType() != null) {
                ctx.status(reply.status()).contentType(reply.contentType());
                if (reply.filename() != null) ctx.header("Content-Disposition", "inline; filename=\"" + reply.filename() + "\"");
                if (reply.body() instanceof byte[] bytes) ctx.result(bytes);
                else ctx.result(String.valueOf(reply.body()));
                return null;
            }
            if (result instanceof Reply reply) return new Answer(reply.status(), JSON, ApiJson.write(reply.body()));
            return new Answer(200, JSON, ApiJson.write(result));
        } catch (Problem p) {
            return refusal(p, ctx);
        }
    }

    /**
     * A change's answer once it has committed (decision 055): what it made due on a test tenant's clock runs now, and the
     * answer is the resource read again if anything ran (decision 028). Refusals and live tenants' answers stay as they are.
     */
    private Answer settled(Tenant tenant, Answer first) {
        if (!tenant.isTest() || first.status() < 200 || first.status() > 299 || !JSON.equals(first.contentType())) return first;
        com.fasterxml.jackson.databind.JsonNode shown;
        try {
            shown = ApiJson.MAPPER.readTree(first.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Object after = dueNow.settle(tenant, shown);
        return after == shown ? first : new Answer(first.status(), JSON, ApiJson.write(after));
    }

    /** A problem as an answer, with the headers some problems call for. */
    private static Answer refusal(Problem p, Context ctx) {
        if (p.status() == 401) ctx.header("WWW-Authenticate", ctx.path().startsWith("/dev/") ? "Basic realm=\"Tollgate test mode: your tg_test_ key as user name\"" : "Bearer");
        if (p.retryAfterSeconds() > 0) ctx.header("Retry-After", Long.toString(p.retryAfterSeconds()));
        return problem(p.status(), p.code(), p.detail(), p.field(), requestId(ctx));
    }

    private Tenant authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank())
            throw new Problem(401, "authentication_required", "Send your secret key as 'Authorization: Bearer tg_test_…'", null);
        String key;
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = header.substring(7).strip();
        } else if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            key = basicUser(header.substring(6).strip());
        } else {
            throw new Problem(401, "invalid_api_key", "The Authorization header must be 'Bearer <secret key>'", null);
        }
        Tenant tenant = tenants.authenticate(key)
                .orElseThrow(() -> new Problem(401, "invalid_api_key", "The secret key is not valid", null));
        ctx.attribute("tenant", tenant.id());
        ctx.attribute(TENANT, tenant);
        ctx.attribute(KEY, key);
        return tenant;
    }

    /** HTTP Basic with the secret key as the user name and no password (as curl -u key: and browsers send it). */
    private static String basicUser(String encoded) {
        try {
            String pair = new String(java.util.Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            return colon < 0 ? pair : pair.substring(0, colon);
        } catch (IllegalArgumentException e) {
            throw new Problem(401, "invalid_api_key", "The Authorization header's Basic credentials are not base64", null);
        }
    }

    private static final byte[] EMPTY = new byte[0];
    /** How much of a body over the limit is still read before the 413, so that its sender hears the answer. */
    private static final long DRAINED_BYTES = 4L * MAX_BODY_BYTES;

    private static byte[] readBody(Context ctx, int limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            // A declared length a little over the limit is read to its end too, as below (a client sending a body with
            // its length got "no bytes" instead of its 413 now and then).
            if (declared <= DRAINED_BYTES) drainUnread(ctx);
            throw tooLarge(limit);
        }
        // No declared length and no chunked body: nothing to read (most GETs), and no buffer to allocate.
        if (declared <= 0 && ctx.header("Transfer-Encoding") == null) return EMPTY;
        byte[] body;
        try {
            body = limit < MAX_BODY_BYTES ? readAtMost(ctx, limit) : ctx.bodyAsBytes();
        } catch (HttpResponseException e) {
            if (e.getStatus() != 413) throw e;
            drainUnread(ctx);
            throw tooLarge(limit);
        } catch (org.eclipse.jetty.http.BadMessageException e) {
            // Jetty's refusal of the body as it arrived (a broken chunk, a client that stopped sending): the caller's
            // doing, answered as a problem, not a 500 (decision 044).
            throw new Problem(e.getCode() >= 400 && e.getCode() < 500 ? e.getCode() : 400, "body_unreadable",
                    "The request body could not be read: " + e.getReason(), null);
        }
        if (body.length > limit) {
            drainUnread(ctx);
            throw tooLarge(limit);
        }
        if (body.length > 0) {
            String type = ctx.contentType();
            if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json"))
                throw new Problem(415, "unsupported_media_type", "Send request bodies as application/json", null);
        }
        return body;
    }

    /** Reads to the end of a body a little over the limit, so the client that is still sending it gets the 413 instead of a
     * reset connection; a body far over the limit is left unread and its connection closed. */
    private static void drainUnread(Context ctx) {
        try (java.io.InputStream in = ctx.req().getInputStream()) {
            long left = DRAINED_BYTES;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0 && in.read() < 0) break;
                left -= Math.max(skipped, 1);
            }
        } catch (java.io.IOException | RuntimeException ignored) {
            // the answer is 413 either way
        }
    }

    /** A route's small limit is kept while reading: one byte past it is enough to refuse. */
    private static byte[] readAtMost(Context ctx, int limit) {
        try {
            return ctx.req().getInputStream().readNBytes(limit + 1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Problem tooLarge(int limit) {
        String size = limit % (1024 * 1024) == 0 ? limit / (1024 * 1024) + " MiB" : limit % 1024 == 0 ? limit / 1024 + " KiB" : limit + " bytes";
        return new Problem(413, "body_too_large", "Request bodies " + (limit == MAX_BODY_BYTES ? "" : "of this route ") + "may be at most " + size, null);
    }

    private static void fromJavalin(HttpResponseException e, Context ctx) {
        Answer answer = switch (e.getStatus()) {
            case 404 -> problem(404, "route_not_found", "No route " + ctx.method() + " " + ctx.path(), null, requestId(ctx));
            case 405 -> problem(405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path(), null, requestId(ctx));
            case 413 -> problem(413, "body_too_large", "Request bodies may be at most 1 MiB", null, requestId(ctx));
            default -> problem(e.getStatus(), "http_" + e.getStatus(), e.getMessage(), null, requestId(ctx));
        };
        send(ctx, answer);
    }

    private static void internalError(Exception e, Context ctx) {
        if (Database.unavailable(e)) {
            log.warn("the database cannot be reached: answered 503 database_unavailable ({})", rootMessage(e));
            ctx.header("Retry-After", Integer.toString(Problem.DATABASE_RETRY_AFTER_SECONDS));
            Problem p = Problem.databaseUnavailable();
            send(ctx, problem(p.status(), p.code(), p.detail(), null, requestId(ctx)));
            return;
        }
        log.error("unhandled error request_id={}", ctx.attribute(REQUEST_ID_HEADER), e);
        send(ctx, problem(500, "internal_error", "Something went wrong on our side", null, requestId(ctx)));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** Math.*Exact ("long overflow"), BigDecimal.longValueExact ("Overflow"), BigInteger ("out of long range"). */
    private static boolean overflow(ArithmeticException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
        return m.contains("overflow") || m.contains("out of long range") || m.contains("out of int range");
    }

    /**
     * Exact money arithmetic ({@code Math.multiplyExact}, {@code longValueExact}) that went past a {@code long}: the caps
     * on prices, seats and quantities keep every API path from it (docs/decisions/005-catalog.md), so this is the safety
     * net, answering the caller's oversized numbers as a 422 rather than a 500. The transaction has rolled back.
     * Any other arithmetic error (a division by zero) is no amount of the caller's but our own mistake: a 500.
     */
    private static void amountTooLarge(ArithmeticException e, Context ctx) {
        if (!overflow(e)) { // a division by zero, a rounding: not an amount of the caller's but our own mistake
            internalError(e, ctx);
            return;
        }
        log.warn("amount beyond a long request_id={}", ctx.attribute(REQUEST_ID_HEADER), e);
        send(ctx, problem(422, "amount_too_large", "An amount would be too large to bill; use smaller prices or quantities", null,
                requestId(ctx)));
    }

    static Answer problem(int status, String code, String detail, String field, String requestId) {
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("type", "urn:tollgate:problem:" + code);
        p.put("title", title(status));
        p.put("status", status);
        p.put("code", code);
        p.put("detail", detail);
        if (field != null) p.put("field", field);
        p.put("request_id", requestId);
        return new Answer(status, PROBLEM_JSON, p.toString());
    }

    /**
     * Writes the answer straight to the response. (Javalin's {@code ctx.result} copies through a fresh buffer for
     * every response; on the sites' hot path that was half of all memory allocated.)
     */
    private static void send(Context ctx, Answer answer) {
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        if (answer.replayed()) ctx.header("Idempotent-Replayed", "true");
        ctx.status(answer.status()).contentType(answer.contentType());
        ctx.res().setContentLength(bytes.length);
        try {
            ctx.res().getOutputStream().write(bytes);
        } catch (java.io.IOException e) {
            // The client went away; there is nobody left to answer.
            log.debug("client closed the connection before the answer was written", e);
        }
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }

    private static String requestId(Context ctx) {
        return ctx.attribute(REQUEST_ID_HEADER);
    }

    static String newRequestId() {
        // Request ids only need to be distinct, not secret: no SecureRandom on every request.
        byte[] bytes = new byte[12];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(bytes);
        return "req_" + java.util.HexFormat.of().formatHex(bytes);
    }
}

package tollgate.core;

/**
 * A caller's mistake (or a refusal), answered as RFC 9457 problem JSON with a stable {@code code}.
 * Thrown anywhere below the HTTP layer; nothing is half-written because it aborts the transaction.
 */
public final class Problem extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;
    private final long retryAfterSeconds;

    public Problem(int status, String code, String detail, String field) {
        this(status, code, detail, field, 0);
    }

    private Problem(int status, String code, String detail, String field, long retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429 with a code of its own (e.g. {@code test_clock_busy}) and {@code Retry-After}. */
    public static Problem tooMany(String code, long seconds, String detail) {
        return new Problem(429, code, detail, null, seconds);
    }

    /** The same problem with a {@code Retry-After} of {@code seconds}. */
    public Problem retryingAfter(long seconds) {
        return new Problem(status, code, getMessage(), field, seconds);
    }

    public static Problem rateLimited(long seconds, String detail) {
        return new Problem(429, "rate_limited", detail, null, seconds);
    }

    /**
     * 503 {@code lock_timeout}: the request met another one (or the billing run) on the same rows and its transaction
     * was rolled back whole; the same request, with the same {@code Idempotency-Key}, may be sent again after
     * {@code Retry-After} (docs/decisions/011).
     */
    public static Problem lockTimeout() {
        return new Problem(503, "lock_timeout", "Another request or Tollgate's own work was changing the same records at "
                + "the same time and was not completed: send it again", null, 1);
    }

    /**
     * 503 {@code overloaded}: the server had as many API requests at work as it admits and none finished in time; this
     * one did nothing and may be sent again, with the same {@code Idempotency-Key}, after {@code Retry-After} (decision 061).
     */
    public static Problem overloaded() {
        return new Problem(503, "overloaded", "The server is busy with as many requests as it takes at once: send the request "
                + "again, with the same Idempotency-Key, after Retry-After seconds", null, 1);
    }

    /** Seconds a caller is asked to wait when the database cannot be reached ({@link #databaseUnavailable}). */
    public static final int DATABASE_RETRY_AFTER_SECONDS = 5;

    /**
     * 503 {@code database_unavailable}: the database could not be reached (restarting, failing over to a standby); nothing
     * of the request was committed, or its commit was not heard of. The same request, with the same
     * {@code Idempotency-Key}, may be sent again after {@code Retry-After} (decision 051).
     */
    public static Problem databaseUnavailable() {
        return new Problem(503, "database_unavailable", "The database cannot be reached for a moment (a restart or a failover): "
                + "send the request again, with the same Idempotency-Key, after Retry-After seconds", null, DATABASE_RETRY_AFTER_SECONDS);
    }

    /** The same refusal naming {@code field}, unless it names one already. */
    public Problem naming(String field) {
        return this.field != null ? this : new Problem(status, code, getMessage(), field, retryAfterSeconds);
    }

    /**
     * The same refusal, its field named inside {@code object} ({@code object.field}) unless it is already, in the field
     * and where the detail quotes it ({@code 'field'}).
     */
    public Problem within(String object) {
        if (field == null || field.startsWith(object + ".")) return this;
        String named = object + "." + field;
        String detail = getMessage() == null ? null : getMessage().replace("'" + field + "'", "'" + named + "'");
        return new Problem(status, code, detail, named, retryAfterSeconds);
    }

    public static Problem invalid(String field, String code, String detail) {
        return new Problem(422, code, detail, field);
    }

    public static Problem missing(String field) {
        return invalid(field, "parameter_missing", "'" + field + "' is required");
    }

    public static Problem notFound(String what, String id) {
        return new Problem(404, "resource_missing", "No such " + what + ": '" + id + "'", null);
    }

    public static Problem conflict(String code, String detail) {
        return new Problem(409, code, detail, null);
    }

    public int status() { return status; }
    public String code() { return code; }
    public String field() { return field; }
    public long retryAfterSeconds() { return retryAfterSeconds; }
    public String detail() { return getMessage(); }
}

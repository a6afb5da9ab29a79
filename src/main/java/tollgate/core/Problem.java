package tollgate.core;

/**
 * A caller's mistake (or a refusal), answered as RFC 9457 problem JSON with a stable {@code code}.
 * Thrown anywhere below the HTTP layer; nothing is half-written because it aborts the transaction.
 */
public final class Problem extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    public Problem(int status, String code, String detail, String field) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
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
    public String detail() { return getMessage(); }
}

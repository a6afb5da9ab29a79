package tollgate.core;

/** {@code limit} (1–100, default 10) and {@code starting_after} (an id of the previous page). */
public record Paging(int limit, String startingAfter) {
    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 100;

    public Paging {
        if (limit < 1 || limit > MAX_LIMIT)
            throw Problem.invalid("limit", "parameter_invalid", "'limit' must be between 1 and " + MAX_LIMIT);
    }

    /** One row more than asked for, so that {@link Page#of} can tell whether another page follows. */
    public int fetchSize() { return limit + 1; }
}

package tollgate.core;

import java.util.List;

/** One page of a list, newest first; {@code hasMore} when another page follows. Its JSON envelope is api's {@code PageJson}. */
public record Page<T>(List<T> data, boolean hasMore) {
    public static <T> Page<T> of(List<T> rows, int limit) {
        boolean more = rows.size() > limit;
        return new Page<>(more ? List.copyOf(rows.subList(0, limit)) : List.copyOf(rows), more);
    }
}

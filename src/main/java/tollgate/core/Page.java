package tollgate.core;

import java.util.List;

/** A list envelope as Stripe writes it: newest first, {@code has_more} when another page follows. */
public record Page<T>(String object, List<T> data, boolean hasMore) {
    public static <T> Page<T> of(List<T> rows, int limit) {
        boolean more = rows.size() > limit;
        return new Page<>("list", more ? List.copyOf(rows.subList(0, limit)) : List.copyOf(rows), more);
    }
}

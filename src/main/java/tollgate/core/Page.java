package tollgate.core;

import java.util.List;

/** One page of a list, newest first; {@code hasMore} when another page follows. Its JSON envelope is api's {@code PageJson}. */
public record Page<T>(List<T> data, boolean hasMore) {
    public static <T> Page<T> of(List<T> rows, int limit) {
        boolean more = rows.size() > limit;
        return new Page<>(more ? List.copyOf(rows.subList(0, limit)) : List.copyOf(rows), more);
    }

    /**
     * A page of a short list read whole (the tenant's keys, an invoice's payments and attempts), given oldest first:
     * newest first like every list, after {@code starting_after}, which must be one of them
     * ({@link NewestFirst#unknownStartingAfter}).
     */
    public static <T> Page<T> newestFirst(List<T> oldestFirst, Paging paging, java.util.function.Function<T, String> id) {
        List<T> all = new java.util.ArrayList<>(oldestFirst.reversed());
        int from = 0;
        if (paging.startingAfter() != null) {
            int at = 0;
            while (at < all.size() && !id.apply(all.get(at)).equals(paging.startingAfter())) at++;
            if (at == all.size()) throw NewestFirst.unknownStartingAfter(paging.startingAfter());
            from = at + 1;
        }
        return of(all.subList(from, Math.min(all.size(), from + paging.fetchSize())), paging.limit());
    }
}

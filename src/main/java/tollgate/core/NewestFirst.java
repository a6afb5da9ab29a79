package tollgate.core;

import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.RecordMapper;

/** One page of a list ordered by id, newest first, continuing after {@code starting_after} (ids sort by creation). */
public final class NewestFirst {
    private NewestFirst() {}

    /**
     * Runs {@code select … where …} (with its bind values) as a page: adds {@code and id < ?} when continuing,
     * then {@code order by id desc limit ?}. A {@code starting_after} that names no row of the list is refused
     * ({@link #unknownStartingAfter}): taken as a mere position, an id that sorts after every row would answer the
     * first page again, and a client paging on would loop for ever.
     */
    public static <T> List<T> page(DSLContext db, String selectWhere, List<Object> args, String startingAfter, int limit,
                                   RecordMapper<Record, T> mapper) {
        return page(db, selectWhere, args, "", List.of(), startingAfter, limit, mapper);
    }

    /**
     * The same, with a {@code filter} (such as {@code " and status = ?"}) that narrows the page but not the check of
     * {@code starting_after}: the last row of a page may have left the filter since (a license assigned meanwhile)
     * and still marks where the next page starts.
     */
    public static <T> List<T> page(DSLContext db, String selectWhere, List<Object> args, String filter, List<Object> filterArgs,
                                   String startingAfter, int limit, RecordMapper<Record, T> mapper) {
        List<Object> all = new ArrayList<>(args);
        all.addAll(filterArgs);
        StringBuilder sql = new StringBuilder(selectWhere).append(filter);
        if (startingAfter != null) {
            List<Object> withId = new ArrayList<>(args);
            withId.add(startingAfter);
            if (db.fetch(selectWhere + " and id = ?", withId.toArray()).isEmpty()) throw unknownStartingAfter(startingAfter);
            sql.append(" and id < ?");
            all.add(startingAfter);
        }
        sql.append(" order by id desc limit ?");
        all.add(limit);
        return db.fetch(sql.toString(), all.toArray()).map(mapper);
    }

    /**
     * 404 {@code resource_missing} with {@code field: starting_after}, as Stripe answers a cursor it does not know
     * (docs/decisions/020-contract-defects.md).
     */
    public static Problem unknownStartingAfter(String id) {
        return new Problem(404, "resource_missing", "starting_after '" + id + "' is not the id of an object of this list",
                "starting_after");
    }
}

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
     * then {@code order by id desc limit ?}.
     */
    public static <T> List<T> page(DSLContext db, String selectWhere, List<Object> args, String startingAfter, int limit,
                                   RecordMapper<Record, T> mapper) {
        List<Object> all = new ArrayList<>(args);
        StringBuilder sql = new StringBuilder(selectWhere);
        if (startingAfter != null) {
            sql.append(" and id < ?");
            all.add(startingAfter);
        }
        sql.append(" order by id desc limit ?");
        all.add(limit);
        return db.fetch(sql.toString(), all.toArray()).map(mapper);
    }
}

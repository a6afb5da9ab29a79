package tollgate.api;

import java.util.List;
import tollgate.core.Page;

/** The list envelope as Stripe writes it ({@code object: "list"}); each item is written as its own view. */
public record PageJson(String object, List<?> data, boolean hasMore) {
    static PageJson of(Page<?> p) {
        return new PageJson("list", p.data(), p.hasMore());
    }
}

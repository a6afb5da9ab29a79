package tollgate.accounts;

import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * What other capabilities may ask of the accounts' table, in the caller's transaction: read accounts, or lock their
 * rows (decision 010's lock order: whoever changes an account's rows holds the account first). Nothing here writes.
 */
public interface AccountDirectory {
    Optional<Account> find(DSLContext db, String tenantId, String id);

    /** Several accounts in one statement, without locks. */
    List<Account> findAll(DSLContext db, String tenantId, List<String> ids);

    /** Locks several accounts in id order and reads them. */
    List<Account> lockAll(DSLContext db, String tenantId, List<String> ids);

    /** Reads the account's standing and locks its row, so that actions on one account take turns. */
    Optional<Standing> lockStanding(DSLContext db, String tenantId, String id);

    Optional<Standing> standing(DSLContext db, String tenantId, String id);

    /** Locks several accounts in id order in one statement and reads their standing, by id (unknown ids are absent). */
    java.util.Map<String, Standing> lockStandings(DSLContext db, String tenantId, java.util.Collection<String> ids);
}

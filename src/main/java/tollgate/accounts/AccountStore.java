package tollgate.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import tollgate.core.NewestFirst;
import org.jooq.Record;
import tollgate.parties.Address;
import tollgate.parties.Company;

/** SQL for accounts; every query is scoped by tenant. */
public final class AccountStore implements AccountDirectory {
    /** The columns written when an account is opened; it is read with its {@code balance} too. */
    private static final String COLUMNS = "id, name, email, currency, timezone, legal_name, address_line1, address_line2, "
            + "address_city, address_postal_code, address_state, address_country, tax_id, billing_email, created_at, metadata, "
            + "pending_timezone";
    private static final String READ = COLUMNS + ", balance";

    private static final String INSERT = "insert into accounts (tenant_id, " + COLUMNS + ") values";
    private static final String TUPLE = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    public void insert(DSLContext db, String tenantId, Account a) {
        db.execute(INSERT + " " + TUPLE, row(tenantId, a));
    }

    /** Many new accounts in one statement (requests run together, decision 069). */
    public void insertAll(DSLContext db, String tenantId, List<Account> accounts) {
        if (accounts.isEmpty()) return;
        List<Object[]> rows = new java.util.ArrayList<>(accounts.size());
        for (Account a : accounts) rows.add(row(tenantId, a));
        tollgate.core.Bulk.insertRows(db, INSERT, TUPLE, "", rows);
    }

    private static Object[] row(String tenantId, Account a) {
        Company c = a.company();
        Address ad = c.address() == null ? new Address(null, null, null, null, null, null) : c.address();
        return new Object[] {tenantId, a.id(), a.name(), a.email(), a.currency(), a.timezone(), c.legalName(), ad.line1(), ad.line2(),
                ad.city(), ad.postalCode(), ad.state(), ad.country(), c.taxId(), c.billingEmail(), a.createdAt(),
                tollgate.core.Metadata.stored(a.metadata()), a.pendingTimezone()};
    }

    /** Writes an account's changeable details (name, e-mail, time zone, company, metadata). */
    public void update(DSLContext db, String tenantId, Account a) {
        Company c = a.company();
        Address ad = c.address() == null ? new Address(null, null, null, null, null, null) : c.address();
        db.execute("update accounts set name = ?, email = ?, timezone = ?, legal_name = ?, address_line1 = ?, address_line2 = ?, "
                        + "address_city = ?, address_postal_code = ?, address_state = ?, address_country = ?, tax_id = ?, "
                        + "billing_email = ?, metadata = ?, pending_timezone = ? where tenant_id = ? and id = ?",
                a.name(), a.email(), a.timezone(), c.legalName(), ad.line1(), ad.line2(), ad.city(), ad.postalCode(), ad.state(),
                ad.country(), c.taxId(), c.billingEmail(), tollgate.core.Metadata.stored(a.metadata()), a.pendingTimezone(),
                tenantId, a.id());
    }

    /** The zones waiting to take effect, by account, among {@code ids} (the billing run holds their locks). */
    public java.util.Map<String, String> pendingZones(DSLContext db, String tenantId, List<String> ids) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        if (ids.isEmpty()) return out;
        for (Record r : db.fetch("select id, pending_timezone from accounts where tenant_id = ? and id in ("
                + tollgate.core.Sql.placeholders(ids.size()) + ") and pending_timezone is not null",
                java.util.stream.Stream.concat(java.util.stream.Stream.of(tenantId), ids.stream()).toArray()))
            out.put(r.get("id", String.class), r.get("pending_timezone", String.class));
        return out;
    }

    /** The waiting zone takes effect. */
    public void applyPendingZone(DSLContext db, String tenantId, String id) {
        db.execute("update accounts set timezone = pending_timezone, pending_timezone = null "
                + "where tenant_id = ? and id = ? and pending_timezone is not null", tenantId, id);
    }

    @Override
    public Optional<Account> find(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select " + READ + " from accounts where tenant_id = ? and id = ?", tenantId, id)
                .map(AccountStore::account);
    }

    /**
     * Several accounts in one statement, without locks (the billing run's emails). One id is read by its key: the
     * planner's generic plan for {@code id = any(?)} can walk the tenant's whole index when the table has no statistics
     * yet (1.1 ms per read after 1,500 accounts, growing with them; decision 060).
     */
    @Override
    public List<Account> findAll(DSLContext db, String tenantId, List<String> ids) {
        if (ids.isEmpty()) return List.of();
        if (ids.size() == 1) return find(db, tenantId, ids.get(0)).stream().toList();
        return db.fetch("select " + READ + " from accounts where tenant_id = ? and id = any(?)", tenantId, ids.toArray(String[]::new))
                .map(AccountStore::account);
    }

    /**
     * Locks several accounts and reads them, in one statement. Rows are locked in id order whatever the order of
     * {@code ids}, so two transactions locking overlapping sets cannot deadlock on them (decision 010's lock order).
     */
    @Override
    public List<Account> lockAll(DSLContext db, String tenantId, List<String> ids) {
        if (ids.isEmpty()) return List.of();
        return db.fetch("select " + READ + " from accounts where tenant_id = ? and id in ("
                + tollgate.core.Sql.placeholders(ids.size()) + ") order by id for update",
                java.util.stream.Stream.concat(java.util.stream.Stream.of(tenantId), ids.stream()).toArray()).map(AccountStore::account);
    }

    private static final String STANDING_COLUMNS = "currency, timezone, licenses_blocked, services, data_deleted_at, backups_purge_at";
    private static final String STANDING = "select " + STANDING_COLUMNS + " from accounts where tenant_id = ? and id = ?";

    /** Reads the account's standing and locks its row, so that actions on one account take turns. */
    @Override
    public Optional<Standing> lockStanding(DSLContext db, String tenantId, String id) {
        return db.fetchOptional(STANDING + " for update", tenantId, id).map(AccountStore::standing);
    }

    @Override
    public Optional<Standing> standing(DSLContext db, String tenantId, String id) {
        return db.fetchOptional(STANDING, tenantId, id).map(AccountStore::standing);
    }

    @Override
    public java.util.Map<String, Standing> lockStandings(DSLContext db, String tenantId, java.util.Collection<String> ids) {
        java.util.Map<String, Standing> standings = new java.util.HashMap<>();
        if (ids.isEmpty()) return standings;
        // In id order, as every other taker of several accounts' locks (decision 010), so two never wait on each other.
        db.fetch("select id, " + STANDING_COLUMNS + " from accounts "
                        + "where tenant_id = ? and id in (" + tollgate.core.Sql.placeholders(ids.size()) + ") order by id for update",
                java.util.stream.Stream.concat(java.util.stream.Stream.of(tenantId), ids.stream()).toArray())
                .forEach(r -> standings.put(r.get("id", String.class), standing(r)));
        return standings;
    }

    private static Standing standing(Record r) {
        return new Standing(r.get("currency", String.class), r.get("timezone", String.class), r.get("licenses_blocked", Boolean.class),
                r.get("services", String.class), r.get("data_deleted_at", Instant.class), r.get("backups_purge_at", Instant.class));
    }

    public void setServices(DSLContext db, String tenantId, String id, String services) {
        db.execute("update accounts set services = ? where tenant_id = ? and id = ?", services, tenantId, id);
    }

    public void setDataDeletion(DSLContext db, String tenantId, String id, Instant deletedAt, Instant backupsPurgeAt) {
        db.execute("update accounts set data_deleted_at = ?, backups_purge_at = ? where tenant_id = ? and id = ?",
                deletedAt, backupsPurgeAt, tenantId, id);
    }

    public void setLicensesBlocked(DSLContext db, String tenantId, String id, boolean blocked) {
        db.execute("update accounts set licenses_blocked = ? where tenant_id = ? and id = ?", blocked, tenantId, id);
    }

    /** Newest first. */
    public List<Account> list(DSLContext db, String tenantId, String startingAfter, int limit) {
        return NewestFirst.page(db, "select " + READ + " from accounts where tenant_id = ?", List.of(tenantId),
                startingAfter, limit, AccountStore::account);
    }

    /**
     * The console's search (decision 042): the account whose id is {@code text}, or whose name or email contains it (any
     * case), by name; {@code like} is the escaped lower-case pattern.
     */
    public List<Account> search(DSLContext db, String tenantId, String text, String like, int limit) {
        return db.fetch("select " + READ + " from accounts where tenant_id = ? and (id = ? or lower(name) like ? escape '!' "
                + "or lower(email) like ? escape '!') order by lower(name), id limit ?", tenantId, text, like, like, limit)
                .map(AccountStore::account);
    }

    private static Account account(Record r) {
        Address address = new Address(r.get("address_line1", String.class), r.get("address_line2", String.class),
                r.get("address_city", String.class), r.get("address_postal_code", String.class),
                r.get("address_state", String.class), r.get("address_country", String.class));
        boolean noAddress = address.equals(new Address(null, null, null, null, null, null));
        Company company = new Company(r.get("legal_name", String.class), noAddress ? null : address,
                r.get("tax_id", String.class), r.get("billing_email", String.class));
        return new Account(r.get("id", String.class), r.get("name", String.class), r.get("email", String.class),
                r.get("currency", String.class), r.get("timezone", String.class), r.get("pending_timezone", String.class), company,
                tollgate.core.Metadata.read(r.get("metadata", String.class)), r.get("created_at", Instant.class),
                r.get("balance", Long.class));
    }
}

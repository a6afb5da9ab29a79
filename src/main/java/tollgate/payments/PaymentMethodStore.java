package tollgate.payments;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * SQL for payment methods; every query is scoped by tenant. Detached methods stay as rows with
 * {@code deleted_at} set and are invisible to every read here except {@link #listPosition}.
 */
public final class PaymentMethodStore {
    private static final String COLUMNS = "id, account_id, brand, last4, exp_month, exp_year, primary_for, created_at";
    private static final String LIVE = " and deleted_at is null";
    /** Primary first, then oldest first: the order charges will try them in (SPEC §5). */
    private static final String RANK = "case when primary_for is null then 1 else 0 end";

    /**
     * Locks the account's row for the rest of the transaction; false when the tenant has no such account.
     * Every change of an account's methods takes this lock first, so they run one after another and the
     * account always ends with exactly one primary.
     */
    public boolean lockAccount(DSLContext tx, String tenantId, String accountId) {
        return tx.fetchOptional("select id from accounts where tenant_id = ? and id = ? for update", tenantId, accountId).isPresent();
    }

    public boolean accountExists(DSLContext db, String tenantId, String accountId) {
        return db.fetchOptional("select id from accounts where tenant_id = ? and id = ?", tenantId, accountId).isPresent();
    }

    public void insert(DSLContext tx, String tenantId, PaymentMethod m, String gateway, String gatewayRef) {
        insert(tx, tenantId, m, gateway, gatewayRef, null);
    }

    /** {@code gatewayCustomer}: the gateway's customer the card is saved on (null: none known). */
    public void insert(DSLContext tx, String tenantId, PaymentMethod m, String gateway, String gatewayRef, String gatewayCustomer) {
        tx.execute("insert into payment_methods (id, tenant_id, account_id, gateway, gateway_ref, brand, last4, exp_month, "
                        + "exp_year, primary_for, created_at, gateway_customer) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                m.id(), tenantId, m.account(), gateway, gatewayRef, m.brand(), m.last4(), m.expMonth(), m.expYear(),
                m.primary() ? m.account() : null, m.createdAt(), gatewayCustomer);
    }

    /**
     * Whether a payment method of another account (of any tenant: one Stripe key may serve several), detached or not,
     * was saved on this gateway customer, or is this very token: then the customer is someone else's.
     */
    public boolean customerTakenElsewhere(DSLContext db, String tenantId, String accountId, String gateway, String customer, String token) {
        return db.fetchExists(db.selectOne().from("payment_methods")
                .where("gateway = ? and (gateway_customer = ? or gateway_ref = ?) and not (tenant_id = ? and account_id = ?)",
                        gateway, customer, token, tenantId, accountId));
    }

    public Optional<PaymentMethod> find(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select " + COLUMNS + " from payment_methods where tenant_id = ? and id = ?" + LIVE, tenantId, id)
                .map(PaymentMethodStore::method);
    }

    public Optional<PaymentMethod> primaryOf(DSLContext db, String tenantId, String accountId) {
        return db.fetchOptional("select " + COLUMNS + " from payment_methods where tenant_id = ? and primary_for = ?",
                tenantId, accountId).map(PaymentMethodStore::method);
    }

    /**
     * Asked by every license issued: one statement's text, not jOOQ's {@code fetchExists} of a built select, whose
     * building and rendering were 9 % of a license's JVM samples (docs/BENCHMARKS.md, "Stop 24").
     */
    public boolean hasAny(DSLContext db, String tenantId, String accountId) {
        return db.fetchOptional("select 1 from payment_methods where tenant_id = ? and account_id = ?" + LIVE + " limit 1",
                tenantId, accountId).isPresent();
    }

    /** Which of the accounts have a payment method, in one statement (licenses issued together, decision 068). */
    public java.util.Set<String> accountsWithAny(DSLContext db, String tenantId, java.util.Collection<String> accountIds) {
        if (accountIds.isEmpty()) return java.util.Set.of();
        return new java.util.HashSet<>(db.fetch("select distinct account_id from payment_methods where tenant_id = ? and account_id in ("
                        + tollgate.core.Sql.placeholders(accountIds.size()) + ")" + LIVE,
                java.util.stream.Stream.concat(java.util.stream.Stream.of(tenantId), accountIds.stream()).toArray()).getValues(0, String.class));
    }

    /** Every method of the account, oldest first. */
    public List<PaymentMethod> oldestFirst(DSLContext db, String tenantId, String accountId) {
        return db.fetch("select " + COLUMNS + " from payment_methods where tenant_id = ? and account_id = ?" + LIVE
                + " order by seq", tenantId, accountId).map(PaymentMethodStore::method);
    }

    /** A method as a debit needs it: the gateway that holds the card and its token there. */
    public record Debitable(String id, String accountId, String gateway, String token) {}

    /** The account's methods in the order a payment round tries them: the primary, then the others oldest first. */
    public List<Debitable> debitOrder(DSLContext db, String tenantId, String accountId) {
        return db.fetch("select id, account_id, gateway, gateway_ref from payment_methods where tenant_id = ? and account_id = ?" + LIVE
                + " order by " + RANK + ", seq", tenantId, accountId).map(PaymentMethodStore::debitableOf);
    }

    /** {@link #debitOrder} of many accounts in one query, by account (an account without a method is absent). */
    public java.util.Map<String, List<Debitable>> debitOrders(DSLContext db, String tenantId, List<String> accountIds) {
        java.util.Map<String, List<Debitable>> byAccount = new java.util.HashMap<>();
        if (accountIds.isEmpty()) return byAccount;
        for (Record r : db.fetch("select id, account_id, gateway, gateway_ref from payment_methods where tenant_id = ? and account_id in ("
                + tollgate.core.Sql.placeholders(accountIds.size()) + ")" + LIVE + " order by account_id, " + RANK + ", seq",
                tollgate.core.Sql.args(accountIds, tenantId))) {
            Debitable d = debitableOf(r);
            byAccount.computeIfAbsent(d.accountId(), k -> new java.util.ArrayList<>()).add(d);
        }
        return byAccount;
    }

    public java.util.Optional<Debitable> debitable(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select id, account_id, gateway, gateway_ref from payment_methods where tenant_id = ? and id = ?" + LIVE,
                tenantId, id).map(PaymentMethodStore::debitableOf);
    }

    /** The method's gateway and token even when it was detached since: an undecided charge to it is still asked about. */
    public java.util.Optional<Debitable> debitableEvenIfDetached(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select id, account_id, gateway, gateway_ref from payment_methods where tenant_id = ? and id = ?",
                tenantId, id).map(PaymentMethodStore::debitableOf);
    }

    private static Debitable debitableOf(Record r) {
        return new Debitable(r.get("id", String.class), r.get("account_id", String.class), r.get("gateway", String.class),
                r.get("gateway_ref", String.class));
    }

    /** Where a method stands in its account's list order, to continue a list after it; detached ones keep theirs. */
    public record Position(String accountId, int rank, long seq) {}

    public Optional<Position> listPosition(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select account_id, " + RANK + " as rank_, seq from payment_methods where tenant_id = ? and id = ?",
                tenantId, id).map(r -> new Position(r.get("account_id", String.class), r.get("rank_", Integer.class), r.get("seq", Long.class)));
    }

    /** Primary first, then oldest first; {@code after} continues a previous page. */
    public List<PaymentMethod> list(DSLContext db, String tenantId, String accountId, Position after, int limit) {
        List<Object> args = new ArrayList<>(List.of(tenantId, accountId));
        String continuing = "";
        if (after != null) {
            continuing = " and (" + RANK + " > ? or (" + RANK + " = ? and seq > ?))";
            args.addAll(List.of(after.rank(), after.rank(), after.seq()));
        }
        args.add(limit);
        return db.fetch("select " + COLUMNS + " from payment_methods where tenant_id = ? and account_id = ?" + LIVE + continuing
                + " order by " + RANK + ", seq limit ?", args.toArray()).map(PaymentMethodStore::method);
    }

    /** Makes {@code id} its account's primary or not. Demote the old primary first: the unique index allows one. */
    public void setPrimary(DSLContext tx, String tenantId, String id, boolean primary) {
        tx.execute("update payment_methods set primary_for = " + (primary ? "account_id" : "null")
                + " where tenant_id = ? and id = ?" + LIVE, tenantId, id);
    }

    public void markDeleted(DSLContext tx, String tenantId, String id, Instant at) {
        tx.execute("update payment_methods set deleted_at = ?, primary_for = null where tenant_id = ? and id = ?" + LIVE,
                at, tenantId, id);
    }

    private static PaymentMethod method(Record r) {
        return new PaymentMethod(r.get("id", String.class), r.get("account_id", String.class), r.get("brand", String.class),
                r.get("last4", String.class), r.get("exp_month", Integer.class), r.get("exp_year", Integer.class),
                r.get("primary_for", String.class) != null, r.get("created_at", Instant.class));
    }
}

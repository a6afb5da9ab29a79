package tollgate.payments;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import tollgate.core.Database;
import tollgate.core.Page;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.events.EventLog;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;
import tollgate.tenants.Ctx;

/**
 * Attaching, listing, making primary and detaching an account's payment methods, always within one tenant.
 * Every change locks the account's row first, so concurrent changes of one account take turns and it keeps
 * exactly one primary whenever it has methods. Each changed method gets one event in the same transaction.
 */
public final class PaymentMethods {
    public static final String ATTACHED = "payment_method.attached";
    public static final String DETACHED = "payment_method.detached";
    /** Not in SPEC §8's list: a method's {@code primary} changing is a state change too, so it gets an event. */
    public static final String UPDATED = "payment_method.updated";

    private final Database db;
    private final PaymentMethodStore store;
    private final TenantClock clock;
    private final EventLog events;
    private final Gateways gateways;

    public PaymentMethods(Database db, PaymentMethodStore store, TenantClock clock, EventLog events, Gateways gateways) {
        this.db = db;
        this.store = store;
        this.clock = clock;
        this.events = events;
        this.gateways = gateways;
    }

    /** Told of every card attached, in its transaction (the reminder before it expires is scheduled here). */
    @FunctionalInterface
    public interface AttachListener {
        void attached(Ctx ctx, PaymentMethod method);
    }

    private final List<AttachListener> attachListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public void onAttached(AttachListener listener) {
        attachListeners.add(listener);
    }

    /** The card, if it is still attached. */
    public java.util.Optional<PaymentMethod> find(DSLContext tx, String tenantId, String id) {
        return store.find(tx, tenantId, id);
    }

    /** The account's primary card, if it has one. */
    public java.util.Optional<PaymentMethod> primaryOf(DSLContext tx, String tenantId, String accountId) {
        return store.primaryOf(tx, tenantId, accountId);
    }

    /**
     * Attaches the card behind {@code token} to the account. The first method becomes primary; a later one only
     * when {@code askedForPrimary}, and then the previous primary is demoted.
     */
    public PaymentMethod attach(Tenant tenant, String accountId, String token, boolean askedForPrimary) {
        return attach(tenant, accountId, token, askedForPrimary, tollgate.core.RecoveryPoint.NONE);
    }

    /** {@link #attach}, the new method recorded at {@code point} in the transaction that writes it (decision 075). */
    public PaymentMethod attach(Tenant tenant, String accountId, String token, boolean askedForPrimary, tollgate.core.RecoveryPoint point) {
        requireAccount(tenant, accountId);
        Gateway gateway = gateways.forAttaching(tenant);
        // Asked before the transaction: a real gateway is a network call, and the account's lock should not wait on it.
        // The token is never repeated in the answer: a caller may have pasted a card number into it.
        Card card = gateway.describe(token)
                .orElseThrow(() -> Problem.invalid("token", "token_invalid", "The token is not known to the " + gateway.name() + " gateway"));
        return db.tx(tx -> {
            lockAccount(Ctx.withoutClock(tx, tenant), accountId);
            // A card saved on a gateway customer that another account already uses (any tenant's: one Stripe key may
            // serve several) is that account's, not this one's: whoever learnt its pm_ id must not charge it.
            if (card.customer() != null
                    && store.customerTakenElsewhere(tx, tenant.id(), accountId, gateway.name(), card.customer(), token))
                throw Problem.invalid("token", "payment_method_customer_mismatch",
                        "This payment method is saved on a customer that belongs to another account; attach a card saved for this one");
            Instant now = clock.now(tx, tenant);
            boolean primary = PrimaryPaymentMethod.onAttach(store.hasAny(tx, tenant.id(), accountId), askedForPrimary);
            if (primary) demoteCurrentPrimary(new Ctx(tx, tenant, now), accountId);
            PaymentMethod method = PaymentMethod.attach(accountId, card, primary, now);
            store.insert(tx, tenant.id(), method, gateway.name(), token, card.customer());
            events.append(tx, tenant.id(), ATTACHED, accountId, now, method);
            for (AttachListener l : attachListeners) l.attached(new Ctx(tx, tenant, now), method);
            point.reached(tx, method.id());
            return method;
        });
    }

    /** Primary first, then oldest first: the order in which charges will try them. */
    public Page<PaymentMethod> list(Tenant tenant, String accountId, Paging paging) {
        DSLContext dsl = db.dsl();
        requireAccount(tenant, accountId);
        PaymentMethodStore.Position after = null;
        if (paging.startingAfter() != null) {
            after = store.listPosition(dsl, tenant.id(), paging.startingAfter())
                    .filter(p -> p.accountId().equals(accountId))
                    .orElseThrow(() -> tollgate.core.NewestFirst.unknownStartingAfter(paging.startingAfter()));
        }
        return Page.of(store.list(dsl, tenant.id(), accountId, after, paging.fetchSize()), paging.limit());
    }

    /** One attached method (a detached one is gone: 404). */
    public PaymentMethod get(Tenant tenant, String paymentMethodId) {
        return store.find(db.dsl(), tenant.id(), paymentMethodId).orElseThrow(() -> Problem.notFound("payment method", paymentMethodId));
    }

    /** Makes the method its account's primary and demotes the previous one; already primary changes nothing. */
    public PaymentMethod makePrimary(Tenant tenant, String paymentMethodId) {
        return db.tx(tx -> {
            PaymentMethod method = lockAccountOf(Ctx.withoutClock(tx, tenant), paymentMethodId);
            if (method.primary()) return method;
            Instant now = clock.now(tx, tenant);
            demoteCurrentPrimary(new Ctx(tx, tenant, now), method.account());
            return promote(new Ctx(tx, tenant, now), method);
        });
    }

    /**
     * Detaches the method. When it was the primary, the oldest remaining method is promoted and named in the
     * answer; otherwise {@code promoted} is null.
     */
    public DetachedPaymentMethod detach(Tenant tenant, String paymentMethodId) {
        return db.tx(tx -> {
            PaymentMethod method = lockAccountOf(Ctx.withoutClock(tx, tenant), paymentMethodId);
            Instant now = clock.now(tx, tenant);
            store.markDeleted(tx, tenant.id(), method.id(), now);
            events.append(tx, tenant.id(), DETACHED, method.account(), now, method);
            List<PaymentMethod> remaining = store.oldestFirst(tx, tenant.id(), method.account());
            Optional<PaymentMethod> promoted = PrimaryPaymentMethod.promotedOnDetach(method, remaining);
            promoted.ifPresent(p -> promote(new Ctx(tx, tenant, now), p));
            return new DetachedPaymentMethod(method.id(), promoted.map(PaymentMethod::id).orElse(null));
        });
    }

    /**
     * Whether the account has at least one payment method, read in the caller's transaction (licensing refuses to
     * issue without one). To be sure it stays so until the caller commits, lock the account's row first, as every
     * change here does.
     */
    public boolean hasAny(DSLContext tx, String tenantId, String accountId) {
        return store.hasAny(tx, tenantId, accountId);
    }

    /** Which of the accounts have a payment method (one statement). */
    public java.util.Set<String> accountsWithAny(DSLContext tx, String tenantId, java.util.Collection<String> accountIds) {
        return store.accountsWithAny(tx, tenantId, accountIds);
    }

    private void requireAccount(Tenant tenant, String accountId) {
        if (!store.accountExists(db.dsl(), tenant.id(), accountId)) throw Problem.notFound("account", accountId);
    }

    private void lockAccount(Ctx ctx, String accountId) {
        if (!store.lockAccount(ctx.tx(), ctx.tenantId(), accountId)) throw Problem.notFound("account", accountId);
    }

    /** Finds the method, locks its account, and reads the method again: it may have changed while we waited. */
    private PaymentMethod lockAccountOf(Ctx ctx, String paymentMethodId) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        PaymentMethod seen = store.find(tx, tenant.id(), paymentMethodId)
                .orElseThrow(() -> Problem.notFound("payment method", paymentMethodId));
        lockAccount(ctx, seen.account());
        return store.find(tx, tenant.id(), paymentMethodId)
                .orElseThrow(() -> Problem.notFound("payment method", paymentMethodId));
    }

    private void demoteCurrentPrimary(Ctx ctx, String accountId) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        store.primaryOf(tx, tenant.id(), accountId).ifPresent(old -> {
            store.setPrimary(tx, tenant.id(), old.id(), false);
            events.append(tx, tenant.id(), UPDATED, accountId, ctx.now(), old.withPrimary(false));
        });
    }

    private PaymentMethod promote(Ctx ctx, PaymentMethod method) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        store.setPrimary(tx, tenant.id(), method.id(), true);
        PaymentMethod promoted = method.withPrimary(true);
        events.append(tx, tenant.id(), UPDATED, method.account(), ctx.now(), promoted);
        return promoted;
    }
}

package tollgate.dunning;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import tollgate.accounts.Standing;
import tollgate.accounts.Accounts;
import tollgate.catalog.Plan;
import tollgate.catalog.PlanLookup;
import tollgate.catalog.PlanType;
import tollgate.core.Database;
import tollgate.core.Problem;
import tollgate.events.EventLog;
import tollgate.invoicing.Invoice;
import tollgate.invoicing.Receivables;
import tollgate.payments.Payments;
import tollgate.tenants.Ctx;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;
import tollgate.timeline.JobKind;
import tollgate.timeline.Timeline;

/**
 * Dunning (SPEC §6). An invoice becomes past due when its first payment round fails, or when there was nothing to
 * charge; the union of its plans' policies ({@link MergedPolicy}) is fixed then, and each step becomes a timeline row
 * at its date. A step finds its invoice still open or does nothing. Paying (or crediting, or voiding) every past-due
 * invoice of the account ends dunning and lifts the license block and the suspension; cancellations, revocations and
 * data deletion stay.
 */
public final class Dunning {
    public static final String STEP_JOB = "dunning.step";

    private final Database db;
    private final DunningStore store;
    private final Receivables invoices;
    private final Accounts accounts;
    private final PolicyBook policies;
    private final PlanLookup plans;
    private final DunningActions actions;
    private final tollgate.subscriptions.Subscriptions subscriptions;
    private final Timeline timeline;
    private final TenantClock clock;
    private final EventLog events;

    public Dunning(Database db, DunningStore store, Receivables invoices, Accounts accounts, PolicyBook policies,
                   PlanLookup plans, DunningActions actions, tollgate.subscriptions.Subscriptions subscriptions,
                   Timeline timeline, TenantClock clock, EventLog events) {
        this.db = db;
        this.store = store;
        this.invoices = invoices;
        this.accounts = accounts;
        this.policies = policies;
        this.plans = plans;
        this.actions = actions;
        this.subscriptions = subscriptions;
        this.timeline = timeline;
        this.clock = clock;
        this.events = events;
    }

    /** The typed kind of {@link #STEP_JOB}; the wiring ({@code tollgate.Reactions}) registers it. */
    public static final JobKind<DunningStepRef> STEP = DunningStepRef.KIND;
    /** The typed kind of the backups' purge a data deletion schedules. */
    public static final JobKind<BackupPurgeRef> PURGE = BackupPurgeRef.KIND;

    /** The {@code account.purge_backups} job: purged on their date even if the account has started afresh since. */
    public void purgeBackups(Ctx ctx, BackupPurgeRef ref, Instant dueAt) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        events.append(tx, tenant.id(), "account.backups_purged", ref.accountId(), dueAt,
                Map.of("account", ref.accountId(), "backups_purged_at", dueAt.toString()));
        actions.tell(new Ctx(tx, tenant, dueAt), ref.accountId(), "backups_purged", Map.of("backups_purged_at", dueAt.toString()));
    }

    /** After a payment round: a failed one (or none possible) begins dunning, a paid one may end it. */
    public void afterRound(Ctx ctx, Payments.Round round) {
        afterRounds(ctx, List.of(round));
    }

    /**
     * {@link #afterRound} for the rounds of a batch (a month-end's first charges): which of the paid invoices were ever
     * past due is read in one query, and only those may end their account's dunning.
     */
    public void afterRounds(Ctx ctx, List<Payments.Round> rounds) {
        List<Invoice> paid = new ArrayList<>();
        for (Payments.Round round : rounds) {
            switch (round.outcome()) {
                case FAILED, NO_METHOD -> begin(ctx, round.invoice());
                case PAID -> paid.add(round.invoice());
                default -> { }
            }
        }
        if (paid.size() == 1) settled(ctx, paid.getFirst());
        if (paid.size() <= 1) return;
        Set<String> wasPastDue = store.pastDueAmong(ctx.tx(), ctx.tenantId(), paid.stream().map(Invoice::id).toList());
        for (Invoice invoice : paid) if (wasPastDue.contains(invoice.id())) settled(ctx, invoice);
    }

    // ---- the engine ----

    /**
     * The invoice becomes past due (if it is not already): the union of its plans' policies is fixed and every step
     * is scheduled.
     */
    void begin(Ctx ctx, Invoice invoice) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        if (!invoice.isOpen()) return;
        if (store.ofInvoice(tx, tenant.id(), invoice.id()).isPresent()) return;
        MergedPolicy merged = MergedPolicy.of(policiesFor(ctx, invoice));
        invoices.markPastDue(ctx, invoice.id(), now, merged.policies().getFirst(), DunningStore.write(merged));
        List<DunningSchedule.Dated> dated = DunningSchedule.of(merged, now, zone(ctx, invoice.account()),
                store.pausesOfAccount(tx, tenant.id(), invoice.account()));
        for (DunningSchedule.Dated d : dated)
            timeline.schedule(tx, tenant.id(), d.dueAt(), STEP, new DunningStepRef(invoice.id(), d.index()), now);
        Set<String> subs = new java.util.HashSet<>();
        for (Invoice.Line l : invoice.lines()) if (l.subscription() != null) subs.add(l.subscription());
        if (!subs.isEmpty()) subscriptions.markPastDue(ctx, invoice.account(), subs);
        Invoice planned = invoice.attempted(invoice.attemptCount(), nextRetry(dated, -1));
        invoices.pastDue(ctx, planned, merged.policies());
    }

    /**
     * The {@code dunning.step} job: one step of one invoice's merged policies, if the invoice is still open. The
     * invoice is locked once, here; a retry's round works on it and answers it as it left it.
     */
    public void runStep(Ctx ctx, DunningStepRef ref, Instant dueAt) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        String invoiceId = ref.invoiceId();
        int index = ref.step();
        Invoice invoice = invoices.lock(ctx, invoiceId).orElseThrow();
        DunningStore.PastDue pastDue = store.ofInvoice(tx, tenant.id(), invoiceId).orElseThrow();
        if (!invoice.isOpen()) return;
        MergedPolicy merged = mergedOf(ctx, pastDue).orElseThrow(() -> new IllegalStateException(
                "invoice " + invoiceId + " follows policy " + pastDue.policy() + ", which is gone"));
        MergedPolicy.Step step = merged.steps().get(index);
        List<DunningSchedule.Dated> schedule = DunningSchedule.of(merged, pastDue.pastDueAt(), zone(ctx, invoice.account()),
                store.pausesOfAccount(tx, tenant.id(), invoice.account()));
        Instant postponed = schedule.get(index).dueAt();
        if (postponed.isAfter(dueAt)) {
            // Dunning is paused (decision 049): the step waits for its new date, in a row of its own.
            timeline.schedule(tx, tenant.id(), postponed, STEP, ref, now);
            return;
        }
        DunningActions.Ran ran = actions.run(ctx, invoice, step.policies(), index, schedule);
        String outcome = ran.outcome();
        StepRun run = new StepRun(invoiceId, step.policy(), index, step.step().afterDays(),
                step.step().action().wire(), step.step().template(), dueAt, now, outcome, step.policies());
        store.insertStep(tx, tenant.id(), invoice.account(), run);
        events.append(tx, tenant.id(), "dunning.step_run", invoice.account(), now, run);
        Invoice after = ran.invoice();
        if (after.isOpen()) {
            Instant next = nextRetry(schedule, index);
            if (!Objects.equals(next, after.nextPaymentAttempt()))
                invoices.recordAttempts(ctx, after.attempted(after.attemptCount(), next));
        }
    }

    /**
     * The steps a past-due invoice runs: those fixed when it became past due, or for an invoice past due before
     * invoices kept them, its one policy's. Empty when that policy is gone.
     */
    private Optional<MergedPolicy> mergedOf(Ctx ctx, DunningStore.PastDue pastDue) {
        if (pastDue.steps() != null) return Optional.of(pastDue.steps());
        return policies.resolve(ctx.tx(), ctx.tenantId(), pastDue.policy()).map(MergedPolicy::of);
    }

    /**
     * An invoice of the account has nothing left to pay. When it was in dunning and none of the account's invoices is
     * past due any more, dunning ends: licenses may be issued again, services and subscriptions are reinstated.
     */
    public void settled(Ctx ctx, Invoice invoice) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        if (store.ofInvoice(tx, tenant.id(), invoice.id()).isEmpty()) return;
        String account = invoice.account();
        if (!store.openOfAccount(tx, tenant.id(), account).isEmpty()) return;
        Standing standing = accounts.standing(ctx, account);
        accounts.setLicensesBlocked(ctx, account, false);
        if ("suspended".equals(standing.services())) accounts.setServices(ctx, account, "active");
        subscriptions.reinstateAll(ctx, account);
        store.liftPauses(tx, tenant.id(), account, now);
        events.append(tx, tenant.id(), "account.dunning_ended", account, now, Map.of("account", account, "invoice", invoice.id()));
        if (standing.licensesBlocked() || "suspended".equals(standing.services()))
            actions.tell(ctx, account, "services_restored", Map.of("restored_at", now.toString()));
    }

    /** A new subscription: refused while the account owes past-due invoices after suspension or cancellation (402). */
    public void admitSignup(Ctx ctx, String accountId, Standing standing) {
        // The account's row is locked (subscribing takes that lock first) and its standing read under that lock.
        if ("active".equals(standing.services())) return;
        if (!store.openOfAccount(ctx.tx(), ctx.tenantId(), accountId).isEmpty())
            throw new Problem(402, "past_due_invoices",
                    "The account's services are " + standing.services() + ": pay its past-due invoices before subscribing again", null);
        accounts.setServices(ctx, accountId, "active");
        // A fresh start: the old deletion is history (its events stay), not a state of the new services.
        if (standing.dataDeletedAt() != null) accounts.clearDataDeletion(ctx, accountId);
    }

    // ---- grace (decision 049) ----

    /** A pause may run at most this many days after the account's today. */
    public static final int MAX_PAUSE_DAYS = 90;
    public static final String PAUSED = "account.dunning_paused";

    /**
     * Pauses the account's dunning until {@code resumeOn}, a day in the account's time zone after today and at most
     * {@link #MAX_PAUSE_DAYS} days away: its steps dated before that day wait for it, then the policy goes on with the
     * remaining steps, keeping their spacing ({@link DunningSchedule#of(MergedPolicy, Instant, ZoneId, List)}). A pause
     * standing until a later day is not shortened (422). Paying every past-due invoice lifts it, as it ends dunning.
     */
    public DunningPause pause(Tenant tenant, String accountId, java.time.LocalDate resumeOn) {
        if (resumeOn == null) throw Problem.missing("resume_on");
        return db.tx(tx -> {
            Ctx ctx = new Ctx(tx, tenant, clock.now(tx, tenant));
            Standing standing = accounts.lockStanding(ctx, accountId);
            ZoneId zone = ZoneId.of(standing.timezone());
            java.time.LocalDate today = ctx.now().atZone(zone).toLocalDate();
            if (!resumeOn.isAfter(today))
                throw Problem.invalid("resume_on", "resume_on_not_future", "Choose a day after today (" + today + " in the account's time zone)");
            if (resumeOn.isAfter(today.plusDays(MAX_PAUSE_DAYS)))
                throw Problem.invalid("resume_on", "resume_on_too_far", "Dunning can be paused for at most " + MAX_PAUSE_DAYS
                        + " days: choose " + today.plusDays(MAX_PAUSE_DAYS) + " or earlier");
            List<DunningPause> pauses = new ArrayList<>(store.pausesOfAccount(tx, tenant.id(), accountId));
            for (DunningPause p : pauses)
                if (p.standsAt(ctx.now(), zone) && !resumeOn.isAfter(p.resumeOn()))
                    throw Problem.invalid("resume_on", "already_paused", "Dunning is already paused until " + p.resumeOn()
                            + ": choose a later day");
            DunningPause pause = new DunningPause(ctx.now(), resumeOn, null);
            store.insertPause(tx, tenant.id(), accountId, pause);
            pauses.add(pause);
            for (DunningStore.PastDue p : store.openOfAccount(tx, tenant.id(), accountId)) {
                MergedPolicy merged = mergedOf(ctx, p).orElse(null);
                if (merged == null) continue;
                Set<Integer> ran = store.stepsRun(tx, tenant.id(), p.invoice());
                Instant next = null;
                for (DunningSchedule.Dated d : DunningSchedule.of(merged, p.pastDueAt(), zone, pauses))
                    if (!ran.contains(d.index()) && d.step().action() == DunningAction.RETRY_PAYMENT && (next == null || d.dueAt().isBefore(next)))
                        next = d.dueAt();
                Invoice invoice = invoices.lock(ctx, p.invoice()).orElseThrow();
                if (invoice.isOpen() && !Objects.equals(next, invoice.nextPaymentAttempt()))
                    invoices.recordAttempts(ctx, invoice.attempted(invoice.attemptCount(), next));
            }
            events.append(tx, tenant.id(), PAUSED, accountId, ctx.now(), Map.of("account", accountId,
                    "resume_on", resumeOn.toString(), "paused_at", ctx.now().toString()));
            return pause;
        });
    }

    /** The account's pause standing now, if any (the latest day when several stand). */
    public Optional<DunningPause> pauseOf(Tenant tenant, String accountId) {
        DSLContext dsl = db.dsl();
        Instant now = clock.now(dsl, tenant);
        ZoneId zone = ZoneId.of(accounts.standing(Ctx.withoutClock(dsl, tenant), accountId).timezone());
        return store.pausesOfAccount(dsl, tenant.id(), accountId).stream().filter(p -> p.standsAt(now, zone))
                .max(Comparator.comparing(DunningPause::resumeOn));
    }

    // ---- reading ----

    public Entitlements entitlements(Tenant tenant, String accountId) {
        DSLContext dsl = db.dsl();
        Standing standing = accounts.standing(Ctx.withoutClock(dsl, tenant), accountId);
        Instant now = clock.now(dsl, tenant);
        List<DunningStore.PastDue> pastDue = store.openOfAccount(dsl, tenant.id(), accountId);
        List<Entitlements.UpcomingStep> upcoming = upcoming(new Ctx(dsl, tenant, now), accountId, pastDue, standing);
        Entitlements.DataDeletion deletion = standing.dataDeletedAt() == null ? null : new Entitlements.DataDeletion(
                standing.dataDeletedAt(), standing.backupsPurgeAt(),
                now.isBefore(standing.backupsPurgeAt()) ? "restorable" : "purged");
        return new Entitlements(accountId, !standing.licensesBlocked(), standing.services(), owed(pastDue),
                standing.currency(), pastDue.stream().map(DunningStore.PastDue::invoice).toList(),
                upcoming.isEmpty() ? null : upcoming.getFirst(), deletion);
    }

    /** The account's open past-due invoices, oldest first: one indexed read, cheap enough for every portal page. */
    public List<Owed> pastDue(Tenant tenant, String accountId) {
        return store.openOfAccount(db.dsl(), tenant.id(), accountId).stream()
                .map(p -> new Owed(p.invoice(), p.currency(), p.amountDue())).toList();
    }

    /** An open past-due invoice and what it still owes. */
    public record Owed(String invoice, String currency, long amountDue) {}

    public DunningTimeline timeline(Tenant tenant, String accountId) {
        DSLContext dsl = db.dsl();
        Standing standing = accounts.standing(Ctx.withoutClock(dsl, tenant), accountId);
        List<DunningStore.PastDue> pastDue = store.openOfAccount(dsl, tenant.id(), accountId);
        return new DunningTimeline(accountId, !pastDue.isEmpty(), owed(pastDue), standing.currency(),
                store.stepsOfAccount(dsl, tenant.id(), accountId), upcoming(Ctx.withoutClock(dsl, tenant), accountId, pastDue, standing));
    }

    private List<Entitlements.UpcomingStep> upcoming(Ctx ctx, String accountId, List<DunningStore.PastDue> pastDue,
                                                     Standing standing) {
        ZoneId zone = ZoneId.of(standing.timezone());
        List<Entitlements.UpcomingStep> out = new ArrayList<>();
        List<DunningPause> pauses = pastDue.isEmpty() ? List.of() : store.pausesOfAccount(ctx.tx(), ctx.tenantId(), accountId);
        for (DunningStore.PastDue p : pastDue) {
            MergedPolicy merged = mergedOf(ctx, p).orElse(null);
            if (merged == null) continue;
            Set<Integer> ran = store.stepsRun(ctx.tx(), ctx.tenantId(), p.invoice());
            for (DunningSchedule.Dated d : DunningSchedule.of(merged, p.pastDueAt(), zone, pauses)) {
                if (ran.contains(d.index())) continue;
                out.add(new Entitlements.UpcomingStep(p.invoice(), d.policies().getFirst(), d.index(), d.step().afterDays(),
                        d.step().action().wire(), d.step().template(), d.step().backupRetentionDays(), d.dueAt(), d.policies()));
            }
        }
        out.sort(Comparator.comparing(Entitlements.UpcomingStep::dueAt));
        return out;
    }

    private static long owed(List<DunningStore.PastDue> pastDue) {
        long sum = 0;
        for (DunningStore.PastDue p : pastDue) sum = Math.addExact(sum, p.amountDue());
        return sum;
    }

    /**
     * The policies of the plans on the invoice, in the order of its lines, each once: a plan's {@code dunning_policy},
     * else the tenant's default, else the built-in of its type. An invoice without a plan follows the tenant's default,
     * else {@code hosting_default}.
     */
    private List<DunningPolicy> policiesFor(Ctx ctx, Invoice invoice) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Map<String, DunningPolicy> byId = new LinkedHashMap<>();
        Set<String> plansSeen = new java.util.HashSet<>();
        for (Invoice.Line l : invoice.lines()) {
            if (l.plan() == null || !plansSeen.add(l.plan())) continue;
            Plan plan = plans.find(tx, tenant.id(), l.plan()).orElse(null);
            if (plan == null) continue;
            DunningPolicy policy = plan.dunningPolicy() == null ? null
                    : policies.resolve(tx, tenant.id(), plan.dunningPolicy()).orElse(null);
            if (policy == null) policy = defaultPolicy(ctx, plan.type());
            byId.putIfAbsent(policy.id(), policy);
        }
        if (byId.isEmpty()) return List.of(defaultPolicy(ctx, null));
        return List.copyOf(byId.values());
    }

    private DunningPolicy defaultPolicy(Ctx ctx, PlanType type) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        String name = policies.defaultFor(tx, tenant.id(), type);
        return policies.resolve(tx, tenant.id(), name).orElseThrow(() -> new IllegalStateException("no dunning policy " + name));
    }

    /** The date of the first retry step after step {@code index}; null when none is left. */
    private static Instant nextRetry(List<DunningSchedule.Dated> dated, int index) {
        for (DunningSchedule.Dated d : dated)
            if (d.index() > index && d.step().action() == DunningAction.RETRY_PAYMENT) return d.dueAt();
        return null;
    }

    private ZoneId zone(Ctx ctx, String accountId) {
        return ZoneId.of(accounts.standing(ctx, accountId).timezone());
    }
}

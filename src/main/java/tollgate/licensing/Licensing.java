package tollgate.licensing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import tollgate.accounts.Standing;
import tollgate.accounts.AccountDirectory;
import tollgate.core.Database;
import tollgate.core.Ids;
import tollgate.core.Json;
import tollgate.core.Page;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.core.Vault;
import tollgate.events.EventLog;
import tollgate.licensing.LicenseIssueRules.AccountFacts;
import tollgate.licensing.LicenseIssueRules.PlanFacts;
import tollgate.licensing.LicenseStore.Row;
import tollgate.licensing.SiteCheck.Snapshot;
import tollgate.licensing.SiteCheck.Verdict;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;
import tollgate.tenants.TenantDirectory;
import tollgate.tenants.Ctx;

/** The license lifecycle (SPEC §3): issuing singly and in bundles, assigning, unassigning, revoking; sites' checks. */
public final class Licensing {
    /** How a certificate stays valid when nothing ends it sooner: sites fetch a fresh one within this time. */
    public static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(30);

    /** What licensing asks the catalog: the facts of a plan, if the tenant has it. */
    @FunctionalInterface
    public interface PlanFactsLookup {
        Optional<PlanFacts> plan(DSLContext tx, String tenantId, String planId);
    }

    /** What licensing asks payments: does the account have a payment method; which of these accounts have one. */
    public interface PaymentMethodCheck {
        boolean hasAny(DSLContext tx, String tenantId, String accountId);

        /** One statement for many accounts (licenses issued together, decision 068). */
        java.util.Set<String> accountsWithAny(DSLContext tx, String tenantId, java.util.Collection<String> accountIds);
    }

    /** What licensing tells billing: licenses were issued to the account at {@code at} (bill them on the next 1st). */
    public interface IssuedListener {
        void licensesIssued(DSLContext tx, String tenantId, String accountId, java.time.ZoneId zone, Instant at);

        /** The same for several accounts (by id, with their zones) at one instant, in as few statements as may be. */
        void licensesIssuedAll(DSLContext tx, String tenantId, Map<String, java.time.ZoneId> accounts, Instant at);
    }

    private final Database db;
    private final LicenseStore store;
    private final AccountDirectory accounts;
    private final TenantDirectory tenants;
    private final TenantClock clock;
    private final EventLog events;
    private final Vault vault;
    private final SigningKeys signingKeys;
    private final LicenseDirectory directory;
    private final PlanFactsLookup plans;
    private final PaymentMethodCheck paymentMethods;
    private final SiteChecks siteChecks;
    private IssuedListener issuedListener = new IssuedListener() {
        @Override
        public void licensesIssued(DSLContext tx, String tenantId, String accountId, java.time.ZoneId zone, Instant at) { }

        @Override
        public void licensesIssuedAll(DSLContext tx, String tenantId, Map<String, java.time.ZoneId> accounts, Instant at) { }
    };

    public Licensing(Database db, LicenseStore store, AccountDirectory accounts, TenantDirectory tenants, TenantClock clock, EventLog events,
                     Vault vault, SigningKeys signingKeys, LicenseDirectory directory, PlanFactsLookup plans,
                     PaymentMethodCheck paymentMethods, SiteChecks siteChecks) {
        this.db = db;
        this.siteChecks = siteChecks;
        this.store = store;
        this.accounts = accounts;
        this.tenants = tenants;
        this.clock = clock;
        this.events = events;
        this.vault = vault;
        this.signingKeys = signingKeys;
        this.directory = directory;
        // A plan's type and currency never change and plans are not deleted, so the facts of a plan that exists are kept
        // (a plan not found is asked again: it may be created). Decision 068: one round trip less per license request.
        com.github.benmanes.caffeine.cache.Cache<String, PlanFacts> known =
                com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10_000).build();
        this.plans = (tx, tenantId, planId) -> {
            String key = tenantId + "/" + planId;
            PlanFacts facts = known.getIfPresent(key);
            if (facts != null) return Optional.of(facts);
            Optional<PlanFacts> found = plans.plan(tx, tenantId, planId);
            found.ifPresent(f -> known.put(key, f));
            return found;
        };
        this.paymentMethods = paymentMethods;
    }

    /** Billing listens to issuing (wired after both exist, since billing also reads licenses). */
    public void onIssued(IssuedListener listener) {
        this.issuedListener = listener;
    }

    // ---- issuing ----

    public List<License> issue(Tenant tenant, String accountId, String planId, Integer quantity) {
        return issue(tenant, accountId, planId, quantity, null);
    }

    /** Issues licenses that all carry the tenant's {@code metadata}: {@link #issueAll} of one order, its refusal thrown. */
    public List<License> issue(Tenant tenant, String accountId, String planId, Integer quantity, java.util.Map<String, String> metadata) {
        Outcome outcome = issueAll(tenant, List.of(order(accountId, planId, quantity, metadata))).getFirst();
        if (outcome.refusal() != null) throw outcome.refusal();
        return outcome.issued();
    }

    public Bundle issueBundle(Tenant tenant, String accountId, String planId, Integer size) {
        int n = LicenseIssueRules.bundleSize(size);
        Bundle created = db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            Standing standing = admit(new Ctx(tx, tenant, now), accountId, planId);
            issuedListener.licensesIssued(tx, tenant.id(), accountId, java.time.ZoneId.of(standing.timezone()), now);
            Bundle bundle = new Bundle(Ids.next("bndl"), accountId, planId, n, Bundle.ACTIVE, now, null, List.of());
            store.insertBundle(tx, tenant.id(), bundle);
            List<License> issued = mint(new Ctx(tx, tenant, now), accountId, planId, bundle.id(), n);
            Bundle result = bundle.withLicenses(issued);
            events.append(tx, tenant.id(), "bundle.issued", accountId, now, forEvents(result));
            return result;
        });
        return forgetting(created, created.licenses());
    }

    /** Locks the account and checks it by {@link #refusal} (a bundle's order). */
    private Standing admit(Ctx ctx, String accountId, String planId) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Standing standing = accounts.lockStanding(tx, tenant.id(), accountId).orElse(null);
        Problem refusal = refusal(accountId, standing, planId, () -> plans.plan(tx, tenant.id(), planId),
                () -> paymentMethods.hasAny(tx, tenant.id(), accountId));
        if (refusal != null) throw refusal;
        return standing;
    }

    /**
     * SPEC §3's refusals of an order, in their order: the account unknown (404), the plan unknown (404), then the issue
     * rules (wrong plan or currency 422, no payment method or blocked 402); null when it is admitted. The plan and the
     * payment methods are asked only when the account exists.
     */
    private static Problem refusal(String accountId, Standing standing, String planId, java.util.function.Supplier<Optional<PlanFacts>> plan,
                                   java.util.function.BooleanSupplier hasPaymentMethod) {
        if (standing == null) return Problem.notFound("account", accountId);
        Optional<PlanFacts> facts = plan.get();
        if (facts.isEmpty()) return noSuchPlan(planId);
        return LicenseIssueRules.refusal(new AccountFacts(accountId, standing.currency(), standing.licensesBlocked(),
                hasPaymentMethod.getAsBoolean()), facts.get());
    }

    private static Problem noSuchPlan(String planId) {
        return new Problem(404, "resource_missing", "No such plan: '" + planId + "'", "plan");
    }

    /** A bundle's licenses, written with their {@code license.issued} events. */
    private List<License> mint(Ctx ctx, String accountId, String planId, String bundleId, int count) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        List<Row> rows = new ArrayList<>(count);
        List<String> hashes = new ArrayList<>(count);
        List<License> issued = newLicenses(accountId, planId, bundleId, blanks(count), Map.of(), now, rows, hashes);
        store.insert(tx, tenant.id(), rows, hashes);
        for (License l : issued) events.append(tx, tenant.id(), "license.issued", accountId, now, l.withoutKey());
        return issued;
    }

    /** A new license's id and key, made before it is issued: the key sealed under the id, and its hash. */
    public record Blank(String id, String key, byte[] keySealed, String keyHash) {}

    private List<Blank> blanks(int count) {
        List<Blank> blanks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String key = LicenseKey.generate();
            String id = Ids.next("lic");
            blanks.add(new Blank(id, key, vault.sealText(key, id), LicenseKey.hash(key)));
        }
        return blanks;
    }

    /** New licenses of {@code blanks}: answered, and added to {@code rows} and {@code hashes} to be inserted. */
    private static List<License> newLicenses(String accountId, String planId, String bundleId, List<Blank> blanks, Map<String, String> metadata,
                                             Instant now, List<Row> rows, List<String> hashes) {
        List<License> issued = new ArrayList<>(blanks.size());
        for (Blank b : blanks) {
            License license = new License(b.id(), accountId, b.key(), LicenseKey.suffix(b.key()), planId, bundleId,
                    LicenseStatus.UNASSIGNED, null, metadata, now, null);
            rows.add(new Row(license, b.keySealed()));
            hashes.add(b.keyHash());
            issued.add(license);
        }
        return issued;
    }

    /**
     * One request's licenses, to be issued with other requests' by {@link #issueAll}: what {@link #issue} takes, checked
     * as it checks it, and the licenses' ids and sealed keys made already (on the request's own thread, so that a batch's
     * one thread does not make them all; an order refused wastes them).
     */
    public record Order(String accountId, String planId, Map<String, String> metadata, List<Blank> blanks) {}

    /** Reads an {@link Order}: the quantity and metadata checked as {@link #issue} checks them (400) before the database is asked. */
    public Order order(String accountId, String planId, Integer quantity, Map<String, String> metadata) {
        int count = LicenseIssueRules.quantity(quantity);
        return new Order(accountId, planId, tollgate.core.Metadata.of(metadata, "metadata"), blanks(count));
    }

    /** What came of an {@link Order}: the licenses issued, or the refusal {@link #issue} would have answered (nothing written). */
    public record Outcome(List<License> issued, Problem refusal) {}

    /**
     * Many requests' {@link #issue} in the caller's transaction with one statement per kind (decision 068): the accounts
     * locked together in id order, their payment methods asked together, each plan read once; then each order is refused
     * or admitted by {@link #refusal}'s rules, and the admitted ones' licenses, their {@code license.issued} events and
     * their accounts' next billing dates are written together, all at one instant. A refused order writes nothing;
     * {@link #issue} is this for one order.
     */
    public List<Outcome> issueAll(Tenant tenant, List<Order> orders) {
        List<String> minted = new ArrayList<>();
        List<Outcome> outcomes = db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            java.util.Set<String> accountIds = new java.util.TreeSet<>();
            for (Order o : orders) accountIds.add(o.accountId());
            Map<String, Standing> standings = accounts.lockStandings(tx, tenant.id(), accountIds);
            java.util.Set<String> withCards = paymentMethods.accountsWithAny(tx, tenant.id(), standings.keySet());
            Map<String, Optional<PlanFacts>> planFacts = new java.util.HashMap<>();
            Map<String, java.time.ZoneId> billed = new LinkedHashMap<>();
            List<Row> rows = new ArrayList<>();
            List<License> all = new ArrayList<>();
            List<Outcome> out = new ArrayList<>(orders.size());
            for (Order o : orders) {
                Standing standing = standings.get(o.accountId());
                Problem refusal = refusal(o.accountId(), standing, o.planId(),
                        () -> planFacts.computeIfAbsent(o.planId(), id -> plans.plan(tx, tenant.id(), id)), () -> withCards.contains(o.accountId()));
                if (refusal != null) {
                    out.add(new Outcome(null, refusal));
                    continue;
                }
                billed.putIfAbsent(o.accountId(), java.time.ZoneId.of(standing.timezone()));
                List<License> issued = newLicenses(o.accountId(), o.planId(), null, o.blanks(), o.metadata(), now, rows, minted);
                all.addAll(issued);
                out.add(new Outcome(issued, null));
            }
            if (all.isEmpty()) return out;
            issuedListener.licensesIssuedAll(tx, tenant.id(), billed, now);
            store.insert(tx, tenant.id(), rows, minted);
            events.appendAll(tx, tenant.id(), "license.issued", now, all.stream().map(License::withoutKey).toList(), License::account);
            return out;
        });
        // A site may have asked about a key (and been told "not found") before it existed.
        db.afterCommit(() -> minted.forEach(directory::forget));
        return outcomes;
    }

    // ---- the lifecycle ----

    /** Merges {@code changes} into the license's metadata (revoked ones too: it is the tenant's record); {@code license.updated}. */
    public License updateMetadata(Tenant tenant, String id, java.util.Map<String, String> changes) {
        return db.tx(tx -> {
            Row row = store.lock(tx, tenant.id(), id).orElseThrow(() -> Problem.notFound("license", id));
            License after = row.license().withMetadata(tollgate.core.Metadata.merged(row.license().metadata(), changes, "metadata"));
            if (after.equals(row.license())) return withKey(row);
            store.setMetadata(tx, tenant.id(), id, after.metadata());
            events.append(tx, tenant.id(), "license.updated", after.account(), clock.now(tx, tenant), after.withoutKey());
            return withKey(new Row(after, row.keySealed()));
        });
    }

    public License get(Tenant tenant, String id) {
        Row row = store.find(db.dsl(), tenant.id(), id).orElseThrow(() -> Problem.notFound("license", id));
        return withKey(row);
    }

    public Page<License> list(Tenant tenant, String accountId, String status, Paging paging) {
        if (accounts.find(db.dsl(), tenant.id(), accountId).isEmpty()) throw Problem.notFound("account", accountId);
        LicenseStatus filter = null;
        if (status != null) {
            try {
                filter = LicenseStatus.parse(status);
            } catch (IllegalArgumentException e) {
                throw Problem.invalid("status", "parameter_invalid", "'status' must be unassigned, assigned or revoked");
            }
        }
        List<License> rows = store.list(db.dsl(), tenant.id(), accountId, filter, paging.startingAfter(), paging.fetchSize())
                .stream().map(this::withKey).toList();
        return Page.of(rows, paging.limit());
    }

    /** A page of the account's licenses for the portal: the rows (with keys) and whether more follow. */
    /**
     * {@code lastChecked}: when a site last checked each license's key (decision 047), for those checked at all;
     * {@code asOf}: the tenant's now when the page was read (what "2 hours ago" is counted from).
     */
    public record AccountPage(List<License> licenses, boolean hasMore, Map<String, Instant> lastChecked, Instant asOf) {}

    /**
     * The portal's Licenses list (decision 034): {@code status} null for all; {@code search} matches a key's last block
     * exactly (any case, look-alikes forgiven) or a part of the site URL; {@code page} counts from 1.
     */
    public AccountPage accountPage(Tenant tenant, String accountId, LicenseStatus status, String search, int page, int size) {
        String text = search == null || search.isBlank() ? null : search.strip();
        String suffix = null;
        if (text != null) {
            suffix = suffixOf(text);
        }
        Map<String, Instant> lastChecked = new java.util.HashMap<>();
        List<License> rows = store.accountPage(db.dsl(), tenant.id(), accountId, status, suffix,
                        text == null ? null : text.toLowerCase(java.util.Locale.ROOT), (Math.max(page, 1) - 1) * size, size + 1, lastChecked)
                .stream().map(this::withKey).toList();
        return new AccountPage(rows.size() > size ? rows.subList(0, size) : rows, rows.size() > size, lastChecked,
                clock.now(db.dsl(), tenant));
    }

    public java.util.Map<LicenseStatus, Integer> counts(Tenant tenant, String accountId) {
        return store.countsOf(db.dsl(), tenant.id(), accountId);
    }

    /** Why the account may not issue licenses now (402's code: payment_method_required, licenses_blocked), or empty. */
    public Optional<String> issuingRefusal(Tenant tenant, String accountId) {
        DSLContext dsl = db.dsl();
        Standing standing = accounts.standing(dsl, tenant.id(), accountId).orElseThrow(() -> Problem.notFound("account", accountId));
        if (!paymentMethods.hasAny(dsl, tenant.id(), accountId)) return Optional.of("payment_method_required");
        if (standing.licensesBlocked()) return Optional.of("licenses_blocked");
        return Optional.empty();
    }

    /** The tenant assigns a license (the API): a site held already is refused naming the license that holds it. */
    public License assign(Tenant tenant, String licenseId, String siteUrl) {
        return assign(tenant, licenseId, siteUrl, Asker.TENANT);
    }

    /**
     * An account's user assigns its license (the portal): a site held already is refused without naming the license
     * that holds it, which may be another customer's (decision 090).
     */
    public License assignAsAccount(Tenant tenant, String licenseId, String siteUrl) {
        return assign(tenant, licenseId, siteUrl, Asker.ACCOUNT);
    }

    private License assign(Tenant tenant, String licenseId, String siteUrl, Asker asker) {
        String site = SiteUrl.normalize("site_url", siteUrl);
        return change(tenant, licenseId, (tx, license, now) -> assignTo(new Ctx(tx, tenant, now), license, site, asker));
    }

    public License unassign(Tenant tenant, String licenseId) {
        return change(tenant, licenseId, (tx, license, now) -> {
            License changed = license.unassign();
            store.update(tx, tenant.id(), changed);
            events.append(tx, tenant.id(), "license.unassigned", changed.account(), now,
                    withPrevious(changed, "site_url", license.siteUrl()));
            return changed;
        });
    }

    public License revoke(Tenant tenant, String licenseId) {
        License result = db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            Row row = store.find(tx, tenant.id(), licenseId).orElseThrow(() -> Problem.notFound("license", licenseId));
            // The account first (decision 010's lock order): a refill writes a license of the account, and dunning's
            // revoke_all_licenses holds the account while it locks the bundles.
            accounts.lockStanding(tx, tenant.id(), row.license().account());
            // A bundle's licenses are revoked under the bundle's lock, so the refill count is exact under concurrency.
            Bundle bundle = row.license().bundle() == null ? null : store.lockBundle(tx, tenant.id(), row.license().bundle()).orElseThrow();
            License license = store.lock(tx, tenant.id(), licenseId).orElseThrow().license();
            License revoked = license.revoke(now);
            store.update(tx, tenant.id(), revoked);
            events.append(tx, tenant.id(), "license.revoked", revoked.account(), now, revoked.withoutKey());
            if (bundle != null && bundle.isActive()) mint(new Ctx(tx, tenant, now), bundle.account(), bundle.plan(), bundle.id(), 1);
            return withKey(new Row(revoked, row.keySealed()));
        });
        return forgetting(result, List.of(result));
    }

    public Bundle getBundle(Tenant tenant, String bundleId) {
        Bundle bundle = store.findBundle(db.dsl(), tenant.id(), bundleId).orElseThrow(() -> Problem.notFound("bundle", bundleId));
        return bundle.withLicenses(store.ofBundle(db.dsl(), bundleId).stream().map(this::withKey).toList());
    }

    /** The account's bundles with their licenses, newest first; {@code starting_after} must be one of its bundles. */
    public Page<Bundle> bundles(Tenant tenant, String accountId, Paging paging) {
        DSLContext dsl = db.dsl();
        if (accounts.find(dsl, tenant.id(), accountId).isEmpty()) throw Problem.notFound("account", accountId);
        String after = paging.startingAfter();
        if (after != null && store.findBundle(dsl, tenant.id(), after).filter(b -> b.account().equals(accountId)).isEmpty())
            throw tollgate.core.NewestFirst.unknownStartingAfter(after);
        return Page.of(store.bundlesOf(dsl, tenant.id(), accountId, after, paging.fetchSize()).stream()
                .map(b -> b.withLicenses(store.ofBundle(dsl, b.id()).stream().map(this::withKey).toList())).toList(), paging.limit());
    }

    public Bundle revokeBundle(Tenant tenant, String bundleId) {
        Bundle result = db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            Bundle seen = store.findBundle(tx, tenant.id(), bundleId).orElseThrow(() -> Problem.notFound("bundle", bundleId));
            accounts.lockStanding(tx, tenant.id(), seen.account()); // the account first, as revoke_all_licenses takes it
            Bundle bundle = store.lockBundle(tx, tenant.id(), bundleId).orElseThrow();
            if (!bundle.isActive()) throw Problem.conflict("bundle_revoked", "This bundle was revoked already");
            store.revokeBundle(tx, bundleId, now);
            for (Row row : store.ofBundle(tx, bundleId)) {
                if (row.license().isRevoked()) continue;
                License revoked = row.license().revoke(now);
                store.update(tx, tenant.id(), revoked);
                events.append(tx, tenant.id(), "license.revoked", revoked.account(), now, revoked.withoutKey());
            }
            Bundle revoked = store.findBundle(tx, tenant.id(), bundleId).orElseThrow()
                    .withLicenses(store.ofBundle(tx, bundleId).stream().map(this::withKey).toList());
            events.append(tx, tenant.id(), "bundle.revoked", bundle.account(), now, forEvents(revoked));
            return revoked;
        });
        return forgetting(result, result.licenses());
    }

    /**
     * Dunning's {@code revoke_all_licenses}, in the caller's transaction: every bundle of the account is revoked (and
     * not refilled), then every license. Answers how many licenses were revoked. The directory forgets them once the
     * caller's transaction has committed; another process learns of them from the change poller.
     */
    public int revokeAll(Ctx ctx, String accountId) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        for (Bundle bundle : store.lockActiveBundlesOfAccount(tx, tenant.id(), accountId)) {
            store.revokeBundle(tx, bundle.id(), now);
            Bundle revoked = store.findBundle(tx, tenant.id(), bundle.id()).orElseThrow();
            events.append(tx, tenant.id(), "bundle.revoked", accountId, now, revoked);
        }
        List<License> changed = new java.util.ArrayList<>();
        for (Row row : store.lockLiveOfAccount(tx, tenant.id(), accountId)) {
            License revoked = row.license().revoke(now);
            store.update(tx, tenant.id(), revoked);
            events.append(tx, tenant.id(), "license.revoked", accountId, now, revoked.withoutKey());
            changed.add(withKey(new Row(revoked, row.keySealed())));
        }
        forgetting(null, changed);
        return changed.size();
    }

    // ---- sites ----

    /** {@code POST /v1/licenses/activate}: the key is the credential; assigns the license to the site. */
    public License activate(String key, String siteUrl) {
        String site = SiteUrl.normalize("site_url", siteUrl);
        String hash = LicenseKey.hash(LicenseKey.normalize(key).orElseThrow(() -> keyNotFound()));
        Snapshot found = store.snapshot(db.dsl(), hash).orElseThrow(Licensing::keyNotFound);
        Tenant tenant = tenants.find(db.dsl(), found.tenantId()).orElseThrow();
        License activated = change(tenant, found.licenseId(),
                (tx, license, now) -> license.isAssignedTo(site) ? license : assignTo(new Ctx(tx, tenant, now), license, site, Asker.SITE));
        siteChecks.checked(tenant.id(), activated.id());
        return activated;
    }

    /**
     * {@code activate} as sites see it: a verdict like {@link #validate}'s, never the license itself (its id, account
     * and metadata are the tenant's business, not the site's). Refusals stay problems (404, 409, 422).
     */
    public Verdict activateVerdict(String key, String siteUrl) {
        License license = activate(key, siteUrl);
        return new Verdict(true, license.status().wire(), license.plan(), null);
    }

    /**
     * The tenant that owns a license key and the license's id, for an {@code Idempotency-Key} sent with
     * {@code activate} (kept under that tenant, scoped to the license); empty for a key that names no license.
     */
    public Optional<KeyOwner> ownerOf(String key) {
        Optional<String> normal = key == null ? Optional.empty() : LicenseKey.normalize(key);
        if (normal.isEmpty()) return Optional.empty();
        return store.snapshot(db.dsl(), LicenseKey.hash(normal.get()))
                .flatMap(found -> tenants.find(db.dsl(), found.tenantId()).map(t -> new KeyOwner(t, found.licenseId())));
    }

    public record KeyOwner(Tenant tenant, String licenseId) {}

    /**
     * The console's search by license (decision 042): the accounts holding the key {@code text} (a whole key), a key
     * ending with it (its last block, any case, look-alikes forgiven) or a site whose address contains it.
     */
    public List<String> accountsMatching(Tenant tenant, String text, int limit) {
        String t = text.strip();
        String hash = LicenseKey.normalize(t).map(LicenseKey::hash).orElse(null);
        // A stored site is a normalized URL (SiteUrl), which never holds whitespace: text with a space ("Acme Web
        // Studio") cannot be part of one, and the scan of every site of the tenant is left out (decision 050).
        String site = t.length() < 3 || t.chars().anyMatch(Character::isWhitespace) ? null : tollgate.core.Sql.containsPattern(t);
        return store.accountsMatching(db.dsl(), tenant.id(), hash, suffixOf(t), site, limit);
    }

    /** A key's last block as typed in a search ("…k7q2m", "-K7Q2M"), normalised as keys are; null when it is none. */
    private static String suffixOf(String text) {
        return LicenseKey.normalizeBlock(text.replaceFirst("^[-\u2026.]+", "")).orElse(null);
    }

    /** {@code GET /v1/licenses/validate}: answered from the cache; reads the database at most once per key and TTL. */
    public Verdict validate(String key, String siteUrl) {
        return validateHashed(LicenseKey.hashOf(key), siteUrl);
    }

    /** {@link #validate} with the key already hashed ({@link LicenseKey#hashOf}; null: no key at all). */
    public Verdict validateHashed(String keyHash, String siteUrl) {
        String site = SiteUrl.normalize("site_url", siteUrl);
        if (keyHash == null) return SiteCheck.verdict(null, site);
        Snapshot snapshot = directory.lookup(keyHash, loadSnapshot).orElse(null);
        // Noted in memory only (decision 047): the worker writes it with flushSiteChecks, never this request.
        if (snapshot != null) siteChecks.checked(snapshot.tenantId(), snapshot.licenseId());
        return SiteCheck.verdict(snapshot, site);
    }

    /**
     * Writes the last checks noted since the previous call (the worker, every minute): per tenant, one update of up to
     * 1,000 licenses at a time, stamped with the tenant's clock, leaving rows written within the hour alone. Answers the
     * rows written. What a failed write held is put back for the next call.
     */
    public int flushSiteChecks() {
        int written = 0;
        for (Map.Entry<String, List<String>> e : siteChecks.drain().entrySet()) {
            try {
                written += db.tx(tx -> {
                    Optional<Tenant> tenant = tenants.find(tx, e.getKey());
                    if (tenant.isEmpty()) return 0;
                    Instant now = clock.now(tx, tenant.get());
                    int n = 0;
                    for (int i = 0; i < e.getValue().size(); i += 1_000)
                        n += store.markChecked(tx, e.getKey(), e.getValue().subList(i, Math.min(i + 1_000, e.getValue().size())), now,
                                now.minus(SiteChecks.AT_MOST_EVERY));
                    return n;
                });
            } catch (RuntimeException failed) {
                siteChecks.putBack(e.getKey(), e.getValue());
                throw failed;
            }
        }
        return written;
    }

    /** One function for every lookup: no lambda made per request on the hot path. */
    private final java.util.function.Function<String, Optional<Snapshot>> loadSnapshot = this::loadSnapshot;

    private Optional<Snapshot> loadSnapshot(String keyHash) {
        return store.snapshot(db.dsl(), keyHash);
    }

    /** Forgets cached keys that other server processes changed; the worker calls this every second. */
    public void forgetChangedElsewhere() {
        directory.forgetChanged(v -> store.changedSince(db.dsl(), v, LicenseDirectory.PAGE), () -> store.newestVersion(db.dsl()));
    }

    /** The accounts' licenses that overlap [from, to), as their charges see them. */
    public List<LicenseCharges.LicenseSpan> overlapping(DSLContext tx, String tenantId, List<String> accountIds, Instant from,
                                                        Instant to) {
        if (accountIds.isEmpty()) return List.of();
        return store.overlapping(tx, tenantId, accountIds, from, to).map(Licensing::span);
    }

    private static LicenseCharges.LicenseSpan span(org.jooq.Record r) {
        return new LicenseCharges.LicenseSpan(r.get("id", String.class), r.get("account_id", String.class), r.get("plan_id", String.class),
                r.get("key_suffix", String.class), r.get("site_url", String.class), r.get("issued_at", Instant.class),
                r.get("revoked_at", Instant.class));
    }

    /** {@link #overlapping} for one account, a page at a time in id order (the Billing page's first sites). */
    public List<LicenseCharges.LicenseSpan> overlappingPage(DSLContext tx, String tenantId, String accountId, Instant from, Instant to,
                                                            String afterId, int limit) {
        return store.overlappingPage(tx, tenantId, accountId, from, to, afterId, limit).map(Licensing::span);
    }

    /** One account's licenses overlapping [from, to), counted by plan, issue and revocation instant. */
    public List<LicenseCharges.SpanGroup> overlappingGroups(DSLContext tx, String tenantId, String accountId, Instant from, Instant to) {
        return store.overlappingGroups(tx, tenantId, accountId, from, to).map(r -> new LicenseCharges.SpanGroup(r.get("plan_id", String.class),
                r.get("issued_at", Instant.class), r.get("revoked_at", Instant.class), r.get("n", Integer.class)));
    }

    // ---- certificates ----

    /** A license file signed with the tenant's Ed25519 key, verifiable offline with its public key. */
    public Certificate certificate(Tenant tenant, String licenseId) {
        return db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            License license = withKey(store.find(tx, tenant.id(), licenseId).orElseThrow(() -> Problem.notFound("license", licenseId)));
            Instant validUntil = license.isRevoked() ? license.revokedAt() : now.plus(CERTIFICATE_VALIDITY);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("license", license.id());
            body.put("key", license.key());
            body.put("plan", license.plan());
            body.put("site", license.siteUrl());
            body.put("status", license.status().wire());
            body.put("issued_at", license.issuedAt().toString());
            body.put("valid_until", validUntil.toString());
            byte[] payload = Json.write(body).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String[] signed = signingKeys.sign(tx, tenant.id(), payload, now);
            return new Certificate(Ids.next("lcert"), "Ed25519", signed[0],
                    java.util.Base64.getEncoder().encodeToString(payload), signed[1], body);
        });
    }

    /**
     * The file a site keeps: {@code payload} is the signed JSON (base64), {@code license} the same, readable. Each one
     * made has an id of its own ({@code lcert_}), as every resource has (SPEC §8): two differ in {@code valid_until}.
     */
    public record Certificate(String id, String algorithm, String keyId, String payload, String signature,
                              Map<String, Object> license) {}

    public SigningKeys.PublicKey signingKey(Tenant tenant) {
        return db.tx(tx -> signingKeys.publicKey(tx, tenant.id(), clock.now(tx, tenant)));
    }

    // ---- helpers ----

    @FunctionalInterface
    private interface Change {
        License apply(DSLContext tx, License license, Instant now);
    }

    /** Locks a license, applies a change, and forgets the cached snapshot after the commit. */
    private License change(Tenant tenant, String licenseId, Change change) {
        License changed = db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            Row row = store.lock(tx, tenant.id(), licenseId).orElseThrow(() -> Problem.notFound("license", licenseId));
            License result = change.apply(tx, row.license(), now);
            return withKey(new Row(result, row.keySealed()));
        });
        return forgetting(changed, List.of(changed));
    }

    /**
     * Who asks to assign a license: the tenant, who owns every license and is told which one holds the site; or an
     * account's user (the portal) or a site with its key alone ({@code activate}), who are not told another customer's
     * license id (decision 090).
     */
    private enum Asker { TENANT, ACCOUNT, SITE }

    private License assignTo(Ctx ctx, License license, String site, Asker asker) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        License changed = license.assign(site);
        Optional<String> holder = store.liveLicenseOfSite(tx, tenant.id(), license.plan(), site);
        if (holder.isPresent())
            throw asker == Asker.TENANT
                    ? Problem.conflict("site_already_licensed", site + " already holds license " + holder.get() + " of this plan")
                    : siteAlreadyLicensed(site);
        try {
            store.update(tx, tenant.id(), changed);
        } catch (org.jooq.exception.IntegrityConstraintViolationException e) {
            // Two assignments of one site raced past the check above; the unique index decided.
            throw siteAlreadyLicensed(site);
        }
        events.append(tx, tenant.id(), "license.assigned", changed.account(), ctx.now(), changed.withoutKey());
        return changed;
    }

    /**
     * {@code result}, the changed licenses' keys forgotten by the validation cache once the change has committed (inside
     * a request's one transaction, after its commit: forgotten before, a site's check could cache the old state again).
     */
    private <T> T forgetting(T result, List<License> changed) {
        List<String> hashes = changed.stream().map(l -> LicenseKey.hash(l.key())).toList();
        db.afterCommit(() -> hashes.forEach(directory::forget));
        return result;
    }

    private License withKey(Row row) {
        return row.license().withKey(vault.openText(row.keySealed(), row.license().id()));
    }

    private static LicenseChange withPrevious(License license, String field, Object previous) {
        return new LicenseChange(license.withoutKey(), field, previous);
    }

    private static Bundle forEvents(Bundle bundle) {
        return bundle.withLicenses(bundle.licenses().stream().map(License::withoutKey).toList());
    }

    private static Problem siteAlreadyLicensed(String site) {
        return Problem.conflict("site_already_licensed", site + " already holds a license of this plan");
    }

    private static Problem keyNotFound() {
        return new Problem(404, "license_not_found", "No license has this key", "key");
    }
}

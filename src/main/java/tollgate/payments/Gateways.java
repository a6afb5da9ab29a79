package tollgate.payments;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import tollgate.core.Problem;
import tollgate.tenants.StripeKeys;
import tollgate.tenants.Tenant;

/**
 * The gateways this server has, by name. A tenant attaches new cards through the gateway it chose in its settings
 * ({@code gateway}), else its mode's default: test tenants the sandbox, live tenants the live gateway (Stripe, when
 * configured). A stored payment method is always charged through the gateway that attached it.
 *
 * <p>A tenant with a Stripe account of its own (decision 044) attaches, charges and refunds through its own key, never
 * the server-wide one: a {@code pm_} id of another tenant's Stripe account is then unknown to it. The server-wide
 * {@code TOLLGATE_STRIPE_SECRET_KEY} serves the tenants that have none (a single-tenant install needs nothing more).
 */
public final class Gateways {
    /** The names a tenant may choose. */
    public static final List<String> NAMES = List.of(SandboxGateway.NAME, StripeGateway.NAME);

    /** The gateway a tenant chose in its settings, or null for its mode's default. */
    @FunctionalInterface
    public interface Choices {
        String of(Tenant tenant);
    }

    private final Map<String, Gateway> byName = new LinkedHashMap<>();
    private final Gateway testMode;
    private final Gateway live;
    private final Choices choices;
    /** A tenant's own Stripe keys, or empty. */
    private final Function<Tenant, Optional<StripeKeys>> ownKeys;
    /** One gateway per distinct tenant secret key (a key change makes a new one; the old is dropped in time). */
    private final com.github.benmanes.caffeine.cache.LoadingCache<String, Gateway> ownGateways;

    private static final Pattern STRIPE_SECRET = Pattern.compile("(sk|rk)_(test|live)_[A-Za-z0-9]{8,240}");
    private static final Pattern STRIPE_PUBLISHABLE = Pattern.compile("pk_(test|live)_[A-Za-z0-9]{8,240}");

    /** {@code live} may be null: then live tenants cannot attach cards. Every tenant gets its mode's default. */
    public Gateways(Gateway testMode, Gateway live) {
        this(testMode, live, tenant -> null);
    }

    public Gateways(Gateway testMode, Gateway live, Choices choices) {
        this(testMode, live, choices, tenant -> Optional.empty(), key -> {
            throw new IllegalStateException("no Stripe gateways per tenant here");
        });
    }

    /**
     * @param ownKeys     each tenant's own Stripe keys (empty: the server-wide {@code live} gateway serves it)
     * @param stripeWith  makes a Stripe gateway for a secret key (same API base and timeouts as the server-wide one)
     */
    public Gateways(Gateway testMode, Gateway live, Choices choices, Function<Tenant, Optional<StripeKeys>> ownKeys,
                    Function<String, Gateway> stripeWith) {
        this.testMode = testMode;
        this.live = live;
        this.choices = choices;
        this.ownKeys = ownKeys;
        this.ownGateways = com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10_000)
                .expireAfterAccess(java.time.Duration.ofHours(1)).build(stripeWith::apply);
        byName.put(testMode.name(), testMode);
        if (live != null) byName.put(live.name(), live);
    }

    /** The gateway a tenant attaches new cards through; 422 {@code gateway_unavailable} when it has none now. */
    public Gateway forAttaching(Tenant tenant) {
        return resolve(tenant, choices.of(tenant), null, null);
    }

    /**
     * The gateway that charges and refunds a tenant's stored methods of gateway {@code name}: Stripe through the
     * tenant's own key when it has one, else the server's; empty when neither is configured now.
     */
    public Optional<Gateway> named(Tenant tenant, String name) {
        if (StripeGateway.NAME.equals(name)) {
            Optional<StripeKeys> own = ownKeys.apply(tenant);
            if (own.isPresent()) return Optional.of(ownGateways.get(own.get().secretKey()));
        }
        return named(name);
    }

    /**
     * Refuses (422) a change of the tenant's settings that it could not attach cards with: the gateway chosen
     * ({@code choice}, null when unchanged) is checked with the Stripe keys given ({@code keys}, null when unchanged),
     * so that choosing Stripe and giving its key in one request is taken, and removing the only key the chosen Stripe
     * gateway has (no server-wide key) is refused, {@code gateway_unavailable} naming {@code stripe_secret_key}: choose
     * another gateway first, or in the same request. Keys are checked as {@link #requireUsableStripeKeys} says.
     */
    public void requireUsableSettings(Tenant tenant, tollgate.tenants.TenantProfiles.GatewayChoice choice, StripeKeys keys) {
        if (keys != null) requireUsableStripeKeys(tenant, keys, "stripe_secret_key");
        String chosen = choice != null ? choice.name() : keys != null ? choices.of(tenant) : null;
        if (chosen != null) resolve(tenant, chosen, choice != null ? "gateway" : "stripe_secret_key", keys);
    }

    /**
     * Refuses, as a 422 naming {@code field}, Stripe keys a tenant could not use: not shaped like a secret key
     * ({@code sk_…}/{@code rk_…}) or a publishable key ({@code pk_…}), of two different modes, or a live key for a test
     * tenant ({@code gateway_unavailable}: it would move real money). The key is never repeated in the answer.
     */
    public void requireUsableStripeKeys(Tenant tenant, StripeKeys keys, String field) {
        if (keys.cleared()) return;
        if (!STRIPE_SECRET.matcher(keys.secretKey()).matches())
            throw Problem.invalid(field, "parameter_invalid", "'" + field + "' must be a Stripe secret key (sk_live_…, sk_test_… or rk_…)");
        boolean liveKey = keys.secretKey().contains("_live_");
        if (keys.publishableKey() != null && (!STRIPE_PUBLISHABLE.matcher(keys.publishableKey()).matches()
                || keys.publishableKey().contains("_live_") != liveKey))
            throw Problem.invalid("stripe_publishable_key", "parameter_invalid",
                    "'stripe_publishable_key' must be a Stripe publishable key (pk_…) of the same mode as the secret key");
        if (tenant.isTest() && liveKey)
            throw unavailable(field, "Test tenants may use Stripe only with a test-mode key (sk_test_…): this key moves real money");
    }

    /** The publishable key for the portal's Stripe.js: the tenant's own when it has its own account, else {@code serverWide}. */
    public String stripePublishableKey(Tenant tenant, String serverWide) {
        return ownKeys.apply(tenant).map(StripeKeys::publishableKey).orElse(serverWide);
    }

    /** The gateway that attached a stored method; empty when this server no longer has it configured. */
    public Optional<Gateway> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The gateway a tenant attaches through with {@code choice}, its Stripe keys being {@code pending} (null: as stored).
     * A choice the tenant could not attach through on this server is refused, as a 422 naming {@code field}: an unknown
     * name ({@code parameter_invalid}), a gateway not configured here, the sandbox for a live tenant, or a gateway that
     * moves real money (Stripe on a live key) for a test tenant ({@code gateway_unavailable}). Null (the mode's default)
     * is the sandbox for test tenants; a live tenant without Stripe learns it when attaching.
     */
    private Gateway resolve(Tenant tenant, String choice, String field, StripeKeys pending) {
        if (choice == null) {
            if (tenant.isTest()) return testMode;
            Optional<Gateway> stripe = named(tenant, StripeGateway.NAME);
            if (stripe.isEmpty())
                throw unavailable(field, "Live tenants need the Stripe gateway (their own key in the tenant settings, or "
                        + "TOLLGATE_STRIPE_SECRET_KEY); sandbox tokens are for test mode");
            return stripe.get();
        }
        if (!NAMES.contains(choice))
            throw Problem.invalid(field, "parameter_invalid", "The gateway must be one of " + String.join(", ", NAMES));
        Gateway gateway = (pending == null ? named(tenant, choice) : namedWith(choice, pending)).orElse(null);
        if (gateway == null)
            throw unavailable(field, "The " + choice + " gateway is not configured on this server"
                    + (StripeGateway.NAME.equals(choice) ? " (set stripe_secret_key in the tenant settings, or TOLLGATE_STRIPE_SECRET_KEY)" : ""));
        // A live tenant on a Stripe test key is a staging server, and fine; the sandbox only pretends to charge.
        if (!tenant.isTest() && gateway == testMode)
            throw unavailable(field, "Live tenants cannot use the " + choice + " gateway: it moves no money");
        if (tenant.isTest() && gateway.movesRealMoney())
            throw unavailable(field, "Test tenants may use the " + choice + " gateway only with a test-mode key (sk_test_…): "
                    + "this key moves real money");
        return gateway;
    }

    /** {@link #named(Tenant, String)} as it will be once {@code keys} are the tenant's own ({@link StripeKeys#CLEAR}: none). */
    private Optional<Gateway> namedWith(String name, StripeKeys keys) {
        if (!StripeGateway.NAME.equals(name) || keys.cleared()) return named(name);
        return Optional.of(ownGateways.get(keys.secretKey()));
    }

    private static Problem unavailable(String field, String detail) {
        return new Problem(422, "gateway_unavailable", detail, field);
    }
}

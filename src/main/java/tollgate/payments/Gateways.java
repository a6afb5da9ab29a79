package tollgate.payments;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tollgate.core.Problem;
import tollgate.tenants.Tenant;

/**
 * The gateways this server has, by name. A tenant attaches new cards through the gateway it chose in its settings
 * ({@code gateway}), else its mode's default: test tenants the sandbox, live tenants the live gateway (Stripe, when
 * configured). A stored payment method is always charged through the gateway that attached it.
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

    /** {@code live} may be null: then live tenants cannot attach cards. Every tenant gets its mode's default. */
    public Gateways(Gateway testMode, Gateway live) {
        this(testMode, live, tenant -> null);
    }

    public Gateways(Gateway testMode, Gateway live, Choices choices) {
        this.testMode = testMode;
        this.live = live;
        this.choices = choices;
        byName.put(testMode.name(), testMode);
        if (live != null) byName.put(live.name(), live);
    }

    /** The gateway a tenant attaches new cards through; 422 {@code gateway_unavailable} when it has none now. */
    public Gateway forAttaching(Tenant tenant) {
        return resolve(tenant, choices.of(tenant), null);
    }

    /**
     * Refuses, as a 422 naming {@code field}, a choice of gateway the tenant could not attach through on this server:
     * an unknown name ({@code parameter_invalid}), a gateway not configured here, the sandbox for a live tenant, or a
     * gateway that moves real money (Stripe on a live key) for a test tenant ({@code gateway_unavailable}). Null (the mode's default) is
     * always accepted: a live tenant without Stripe learns it when attaching, as before there were choices.
     */
    public void requireChoosable(Tenant tenant, String choice, String field) {
        if (choice != null) resolve(tenant, choice, field);
    }

    /** The gateway that attached a stored method; empty when this server no longer has it configured. */
    public Optional<Gateway> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    private Gateway resolve(Tenant tenant, String choice, String field) {
        if (choice == null) {
            if (tenant.isTest()) return testMode;
            if (live == null)
                throw unavailable(field, "Live tenants need the Stripe gateway (TOLLGATE_STRIPE_SECRET_KEY); sandbox tokens are for test mode");
            return live;
        }
        if (!NAMES.contains(choice))
            throw Problem.invalid(field, "parameter_invalid", "The gateway must be one of " + String.join(", ", NAMES));
        Gateway gateway = byName.get(choice);
        if (gateway == null)
            throw unavailable(field, "The " + choice + " gateway is not configured on this server"
                    + (StripeGateway.NAME.equals(choice) ? " (TOLLGATE_STRIPE_SECRET_KEY)" : ""));
        // A live tenant on a Stripe test key is a staging server, and fine; the sandbox only pretends to charge.
        if (!tenant.isTest() && gateway == testMode)
            throw unavailable(field, "Live tenants cannot use the " + choice + " gateway: it moves no money");
        if (tenant.isTest() && gateway.movesRealMoney())
            throw unavailable(field, "Test tenants may use the " + choice + " gateway only with a test-mode key (sk_test_…): "
                    + "this server's key moves real money");
        return gateway;
    }

    private static Problem unavailable(String field, String detail) {
        return new Problem(422, "gateway_unavailable", detail, field);
    }
}

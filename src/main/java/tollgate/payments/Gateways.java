package tollgate.payments;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tollgate.core.Problem;
import tollgate.tenants.Tenant;

/**
 * The gateways this server has, by name. Test tenants attach cards through the sandbox; live tenants need a real
 * gateway. A stored payment method is always charged through the gateway that attached it.
 */
public final class Gateways {
    private final Map<String, Gateway> byName = new LinkedHashMap<>();
    private final Gateway testMode;
    private final Gateway live;

    /** {@code live} may be null: then live tenants cannot attach cards. */
    public Gateways(Gateway testMode, Gateway live) {
        this.testMode = testMode;
        this.live = live;
        byName.put(testMode.name(), testMode);
        if (live != null) byName.put(live.name(), live);
    }

    /** The gateway a tenant attaches new cards through. */
    public Gateway forAttaching(Tenant tenant) {
        if (tenant.isTest()) return testMode;
        if (live == null)
            throw new Problem(422, "gateway_unavailable",
                    "Live tenants need the Stripe gateway (TOLLGATE_STRIPE_SECRET_KEY); sandbox tokens are for test mode", null);
        return live;
    }

    /** The gateway that attached a stored method; empty when this server no longer has it configured. */
    public Optional<Gateway> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}

package tollgate.api;

import java.util.List;
import tollgate.catalog.CouponDraft;
import tollgate.catalog.Coupons;
import tollgate.catalog.PlanDraft;
import tollgate.catalog.PlanDraft.TierDraft;
import tollgate.catalog.Plans;

/** {@code /v1/plans} and {@code /v1/coupons}: the tenant's catalog. */
public final class CatalogApi implements Api {
    private final Plans plans;
    private final Coupons coupons;

    public CatalogApi(Plans plans, Coupons coupons) {
        this.plans = plans;
        this.coupons = coupons;
    }

    @Override
    public String openApiFragment() {
        return "catalog";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post("/v1/plans", this::createPlan).inOneTransaction(),
                Route.get("/v1/plans", call -> plans.list(call.tenant(), call.paging())),
                Route.get("/v1/plans/{id}", call -> plans.get(call.tenant(), call.path("id"))),
                // Only metadata changes: a plan's prices are fixed once customers may be on it (as Stripe's prices).
                Route.post("/v1/plans/{id}", call -> {
                    java.util.Map<String, String> metadata = call.body().only("metadata").optMetadata("metadata");
                    if (metadata == null) throw tollgate.core.Problem.missing("metadata");
                    return plans.updateMetadata(call.tenant(), call.path("id"), metadata);
                }).inOneTransaction(),
                Route.post("/v1/coupons", this::createCoupon).inOneTransaction(),
                Route.get("/v1/coupons", call -> coupons.list(call.tenant(), call.paging())),
                Route.get("/v1/coupons/{id}", call -> coupons.get(call.tenant(), call.path("id"))));
    }

    // Which fields a type requires or refuses is a catalog rule (PlanRules); here every field is optional.
    private Object createPlan(Call call) {
        Body b = call.body().only("name", "type", "currency", "amount", "interval", "included_seats", "seat_amount",
                "unit_amount", "tiers", "trial_days", "dunning_policy", "metadata", "seats_from");
        List<Body> tierBodies = b.optObjects("tiers");
        List<TierDraft> tiers = tierBodies == null ? null : tierBodies.stream().map(CatalogApi::tier).toList();
        PlanDraft draft = new PlanDraft(b.optString("name"), b.optString("type"), b.optString("currency"),
                b.optLong("amount"), b.optString("interval"), b.optInt("included_seats"), b.optLong("seat_amount"),
                b.optLong("unit_amount"), tiers, b.optInt("trial_days"), b.optString("dunning_policy"), b.optString("seats_from"));
        return plans.create(call.tenant(), draft, b.optMetadata("metadata"));
    }

    private static TierDraft tier(Body t) {
        t.only("up_to", "unit_amount", "flat_amount");
        return new TierDraft(t.optLong("up_to"), t.optLong("unit_amount"), t.optLong("flat_amount"));
    }

    private Object createCoupon(Call call) {
        Body b = call.body().only("name", "percent_off", "amount_off", "currency", "duration", "duration_in_months");
        CouponDraft draft = new CouponDraft(b.optString("name"), b.optDecimal("percent_off"), b.optLong("amount_off"),
                b.optString("currency"), b.optString("duration"), b.optInt("duration_in_months"));
        return coupons.create(call.tenant(), draft);
    }
}

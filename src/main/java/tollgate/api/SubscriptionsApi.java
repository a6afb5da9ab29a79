package tollgate.api;

import java.util.List;
import tollgate.subscriptions.Subscriptions;
import tollgate.tenants.Tenant;

/** Subscriptions to flat, seats and usage plans (SPEC §2, §10). */
public final class SubscriptionsApi implements Api {
    private final Subscriptions subscriptions;

    public SubscriptionsApi(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    public String openApiFragment() {
        return "subscriptions";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post("/v1/accounts/{id}/subscriptions", call -> {
                    Subscriptions.Order o = order(call);
                    return subscriptions.subscribe(call.tenant(), o.accountId(), o.planId(), o.terms());
                }).together(new Route.Together<Subscriptions.Order>() {
                    @Override
                    public Subscriptions.Order order(Call call) {
                        return SubscriptionsApi.this.order(call);
                    }

                    @Override
                    public List<Object> runAll(Tenant tenant, List<Subscriptions.Order> orders) {
                        return subscriptions.subscribeAll(tenant, orders);
                    }
                }),
                Route.get("/v1/accounts/{id}/subscriptions",
                        call -> subscriptions.list(call.tenant(), call.path("id"), call.query("status"), call.paging())),
                Route.get("/v1/subscriptions/{id}", call -> subscriptions.get(call.tenant(), call.path("id"))),
                Route.post("/v1/subscriptions/{id}", call -> {
                    Body b = call.body().only("plan", "seats", "cancel_at_period_end", "metadata");
                    return subscriptions.update(call.tenant(), call.path("id"), b.optString("plan"), b.optInt("seats"),
                            b.optBoolean("cancel_at_period_end"), b.optMetadata("metadata"));
                }).inOneTransaction(),
                Route.post("/v1/subscriptions/{id}/cancel", call -> {
                    Body b = call.body().only("at_period_end");
                    return subscriptions.cancel(call.tenant(), call.path("id"), Boolean.TRUE.equals(b.optBoolean("at_period_end")));
                }).inOneTransaction());
    }

    private Subscriptions.Order order(Call call) {
        Body b = call.body().only("plan", "seats", "coupon", "billing_cycle_anchor", "collection_method", "days_until_due", "metadata");
        String plan = b.string("plan");
        String anchor = b.optString("billing_cycle_anchor");
        return subscriptions.order(call.path("id"), plan, new Subscriptions.Terms(b.optInt("seats"), b.optString("coupon"),
                anchor == null ? null : Call.instant("billing_cycle_anchor", anchor), b.optString("collection_method"),
                b.optInt("days_until_due"), b.optMetadata("metadata")));
    }
}

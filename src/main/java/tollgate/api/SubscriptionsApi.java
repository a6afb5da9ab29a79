package tollgate.api;

import java.util.List;
import tollgate.core.Problem;
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
                Route.post("/v1/subscriptions", call -> {
                    try {
                        return subscriptions.subscribe(call.tenant(), signup(call));
                    } catch (Problem refusal) {
                        throw namingAccount(refusal);
                    }
                }).together(new Route.Together<Subscriptions.Order>() {
                    @Override
                    public Subscriptions.Order order(Call call) {
                        return signup(call);
                    }

                    @Override
                    public List<Object> runAll(Tenant tenant, List<Subscriptions.Order> orders) {
                        return subscriptions.subscribeAll(tenant, orders).stream()
                                .map(outcome -> outcome instanceof Problem refusal ? namingAccount(refusal) : outcome).toList();
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
        Body b = call.body().only(FIELDS);
        return subscriptions.order(call.path("id"), b.string("plan"), terms(b));
    }

    private static final String[] FIELDS = {"plan", "seats", "coupon", "billing_cycle_anchor", "collection_method", "days_until_due", "metadata"};
    private static final String[] SIGNUP_FIELDS = java.util.stream.Stream.concat(java.util.Arrays.stream(FIELDS),
            java.util.stream.Stream.of("account")).toArray(String[]::new);

    /**
     * {@code POST /v1/subscriptions} (decision 073): the subscription route's fields and {@code account}, an existing
     * account's id or a new account's fields (opened with the subscription, or not at all when it is refused).
     */
    private Subscriptions.Order signup(Call call) {
        Body b = call.body().only(SIGNUP_FIELDS);
        if (!b.isObject("account")) return subscriptions.order(b.string("account"), b.string("plan"), terms(b));
        tollgate.accounts.Accounts.Opening opening;
        try {
            opening = AccountsApi.opening(b.optObject("account"));
        } catch (Problem refusal) {
            throw refusal.within("account");
        }
        return subscriptions.order(opening, b.string("plan"), terms(b));
    }

    /**
     * The account a body names, when missing, is named as the field ({@code account}), as the plan and coupon are: the
     * nested route's account is its path, and its 404 names no field.
     */
    private static Problem namingAccount(Problem refusal) {
        return refusal.status() == 404 ? refusal.naming("account") : refusal;
    }

    private static Subscriptions.Terms terms(Body b) {
        String anchor = b.optString("billing_cycle_anchor");
        return new Subscriptions.Terms(b.optInt("seats"), b.optString("coupon"),
                anchor == null ? null : Call.instant("billing_cycle_anchor", anchor), b.optString("collection_method"),
                b.optInt("days_until_due"), b.optMetadata("metadata"));
    }
}

package tollgate.api;

import java.util.List;
import tollgate.payments.PaymentMethods;

/** {@code /v1/accounts/{id}/payment_methods} and {@code /v1/payment_methods/{id}}: cards on file and the primary one. */
public final class PaymentMethodsApi implements Api {
    private final PaymentMethods paymentMethods;

    public PaymentMethodsApi(PaymentMethods paymentMethods) {
        this.paymentMethods = paymentMethods;
    }

    @Override
    public String openApiFragment() {
        return "payment_methods";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post("/v1/accounts/{id}/payment_methods", this::attach),
                Route.get("/v1/accounts/{id}/payment_methods",
                        call -> paymentMethods.list(call.tenant(), call.path("id"), call.paging())),
                Route.get("/v1/payment_methods/{id}", call -> paymentMethods.get(call.tenant(), call.path("id"))),
                Route.post("/v1/payment_methods/{id}/make_primary", this::makePrimary).inOneTransaction(),
                Route.delete("/v1/payment_methods/{id}", call -> paymentMethods.detach(call.tenant(), call.path("id"))));
    }

    private Object attach(Call call) {
        Body b = call.body().only("token", "primary");
        String token = b.string("token");
        Boolean primary = b.optBoolean("primary");
        // A retry that took over the key of a request cut off after the card was saved answers that card (decision 075).
        if (call.resumedFrom() != null) return paymentMethods.get(call.tenant(), call.resumedFrom());
        return paymentMethods.attach(call.tenant(), call.path("id"), token, Boolean.TRUE.equals(primary), call.recoveryPoint());
    }

    private Object makePrimary(Call call) {
        call.body().only();
        return paymentMethods.makePrimary(call.tenant(), call.path("id"));
    }
}

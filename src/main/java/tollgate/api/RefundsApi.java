package tollgate.api;

import java.util.List;
import tollgate.payments.Refunds;

/** Refunds (SPEC §4): money a credit note on a paid invoice gave back through the gateway that took it. */
public final class RefundsApi implements Api {
    private final Refunds refunds;

    public RefundsApi(Refunds refunds) {
        this.refunds = refunds;
    }

    @Override
    public String openApiFragment() {
        return "refunds";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/v1/invoices/{id}/refunds", call -> refunds.ofInvoice(call.tenant(), call.path("id"), call.paging())),
                Route.get("/v1/refunds/{id}", call -> refunds.get(call.tenant(), call.path("id"))));
    }
}

package tollgate.api;

import java.util.List;
import tollgate.core.Problem;
import tollgate.invoicing.OneOffCharges;

/** Pending invoice items: one-off charges for the account's next invoice (issue #10, SPEC §4). */
public final class InvoiceItemsApi implements Api {
    private final OneOffCharges oneOff;

    public InvoiceItemsApi(OneOffCharges oneOff) {
        this.oneOff = oneOff;
    }

    @Override
    public String openApiFragment() {
        return "invoice_items";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post("/v1/accounts/{id}/invoice_items", call -> {
                    Body b = call.body().only("amount", "description", "currency", "metadata");
                    return oneOff.addItem(call.tenant(), call.path("id"), b.optLong("amount"), b.optString("description"),
                            b.optString("currency"), b.optMetadata("metadata"));
                }).inOneTransaction(),
                Route.get("/v1/accounts/{id}/invoice_items", call -> {
                    String pending = call.query("pending");
                    if (pending != null && !pending.equals("true") && !pending.equals("false"))
                        throw Problem.invalid("pending", "parameter_invalid", "'pending' must be true or false");
                    return oneOff.items(call.tenant(), call.path("id"), "true".equals(pending), call.paging());
                }),
                Route.delete("/v1/invoice_items/{id}", call -> DeletedJson.of("invoice_item", oneOff.deleteItem(call.tenant(), call.path("id")).id())));
    }
}

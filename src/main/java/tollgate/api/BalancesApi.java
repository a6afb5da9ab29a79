package tollgate.api;

import java.util.List;
import tollgate.balances.BalanceTransaction;
import tollgate.balances.Balances;
import tollgate.core.Currencies;
import tollgate.core.Problem;

/** An account's credit balance (SPEC §4): its transactions, and adjustments by the tenant (as Stripe's customer balance). */
public final class BalancesApi implements Api {
    private final Balances balances;

    public BalancesApi(Balances balances) {
        this.balances = balances;
    }

    @Override
    public String openApiFragment() {
        return "balances";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/v1/accounts/{id}/balance_transactions",
                        call -> balances.list(call.tenant(), call.path("id"), call.paging())),
                Route.post("/v1/accounts/{id}/balance_transactions", this::adjust).inOneTransaction());
    }

    private BalanceTransaction adjust(Call call) {
        Body b = call.body().only("amount", "currency", "description");
        Long amount = b.optLong("amount");
        if (amount == null) throw Problem.missing("amount");
        String currency = b.optString("currency");
        if (currency == null) throw Problem.missing("currency");
        String description = b.optString("description");
        if (description != null && (description.isBlank() || description.length() > 500))
            throw Problem.invalid("description", "parameter_invalid", "'description' must have 1 to 500 characters");
        return balances.adjust(call.tenant(), call.path("id"), amount, Currencies.code(currency), description);
    }
}

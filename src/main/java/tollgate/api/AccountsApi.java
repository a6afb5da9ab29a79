package tollgate.api;

import java.util.List;
import tollgate.accounts.Accounts;
import tollgate.accounts.Company;

/** {@code /v1/accounts}: open, fetch and list customer accounts. */
public final class AccountsApi implements Api {
    private final Accounts accounts;

    public AccountsApi(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public String openApiFragment() {
        return "accounts";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post("/v1/accounts", this::create),
                Route.get("/v1/accounts", call -> accounts.list(call.tenant(), call.paging())),
                Route.get("/v1/accounts/{id}", call -> accounts.get(call.tenant(), call.path("id"))));
    }

    private Object create(Call call) {
        Body b = call.body().only("name", "email", "currency", "timezone", "company");
        String name = b.string("name");
        String email = b.string("email");
        String currency = b.string("currency");
        String timezone = b.optString("timezone");
        Company company = CompanyFields.read(b.optObject("company"));
        return accounts.open(call.tenant(), name, email, currency, timezone, company);
    }
}

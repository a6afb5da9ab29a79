package tollgate.api;

import java.util.List;
import tollgate.accounts.Accounts;
import tollgate.accounts.AccountChangeRules;
import tollgate.parties.Company;
import tollgate.tenants.Tenant;

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
                Route.post("/v1/accounts", this::create).together(new Route.Together<Accounts.Opening>() {
                    @Override
                    public Accounts.Opening order(Call call) {
                        return opening(call);
                    }

                    @Override
                    public List<Object> runAll(Tenant tenant, List<Accounts.Opening> orders) {
                        return List.copyOf(accounts.openAll(tenant, orders));
                    }
                }),
                Route.get("/v1/accounts", call -> accounts.list(call.tenant(), call.paging())),
                Route.get("/v1/accounts/{id}", call -> accounts.get(call.tenant(), call.path("id"))),
                Route.post("/v1/accounts/{id}", this::update).inOneTransaction());
    }

    /** Only the fields given change; {@code company} replaces the whole object; {@code metadata} merges ("" removes a key). */
    private Object update(Call call) {
        Body b = call.body().only("name", "email", "timezone", "company", "metadata");
        return accounts.update(call.tenant(), call.path("id"), new AccountChangeRules.Changes(b.optString("name"), b.optString("email"),
                b.optString("timezone"), CompanyFields.read(b.optObject("company")), b.optMetadata("metadata")));
    }

    private Object create(Call call) {
        return accounts.openAll(call.tenant(), List.of(opening(call))).getFirst();
    }

    private static Accounts.Opening opening(Call call) {
        return opening(call.body());
    }

    /** A new account's fields, as {@code POST /v1/accounts} takes them (also inside {@code POST /v1/subscriptions}). */
    static Accounts.Opening opening(Body body) {
        Body b = body.only("name", "email", "currency", "timezone", "company", "metadata");
        String name = b.string("name");
        String email = b.string("email");
        String currency = b.string("currency");
        String timezone = b.optString("timezone");
        Company company = CompanyFields.read(b.optObject("company"));
        return Accounts.Opening.of(name, email, currency, timezone, company, b.optMetadata("metadata"));
    }
}

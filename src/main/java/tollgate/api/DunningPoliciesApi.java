package tollgate.api;

import java.util.List;
import tollgate.dunning.DunningPolicyRules;
import tollgate.dunning.DunningPolicyRules.StepDraft;
import tollgate.dunning.DunningPolicies;

/** {@code /v1/dunning_policies}: the built-in dunning policies and the tenant's own. */
public final class DunningPoliciesApi implements Api {
    private final DunningPolicies policies;

    public DunningPoliciesApi(DunningPolicies policies) {
        this.policies = policies;
    }

    @Override
    public String openApiFragment() {
        return "dunning_policies";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post("/v1/dunning_policies", this::create).inOneTransaction(),
                Route.get("/v1/dunning_policies", call -> policies.list(call.tenant(), call.paging())),
                Route.get("/v1/dunning_policies/{id}", call -> policies.get(call.tenant(), call.path("id"))));
    }

    // Which fields an action requires or refuses is a dunning rule (DunningPolicyRules); here every field is optional.
    private Object create(Call call) {
        Body b = call.body().only("name", "steps");
        List<Body> stepBodies = b.optObjects("steps");
        List<StepDraft> steps = stepBodies == null ? null : stepBodies.stream().map(DunningPoliciesApi::step).toList();
        return policies.create(call.tenant(), new DunningPolicyRules.Draft(b.optString("name"), steps));
    }

    private static StepDraft step(Body s) {
        s.only("after_days", "action", "template", "backup_retention_days");
        return new StepDraft(s.optInt("after_days"), s.optString("action"), s.optString("template"),
                s.optInt("backup_retention_days"));
    }
}

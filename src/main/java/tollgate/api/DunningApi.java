package tollgate.api;

import java.util.List;
import tollgate.dunning.Dunning;
import tollgate.notify.Notifications;

/** What dunning has done and will do to an account (SPEC §6, §10), and the messages waiting to be sent to it. */
public final class DunningApi implements Api {
    private final Dunning dunning;
    private final Notifications notifications;

    public DunningApi(Dunning dunning, Notifications notifications) {
        this.dunning = dunning;
        this.notifications = notifications;
    }

    @Override
    public String openApiFragment() {
        return "dunning";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/v1/accounts/{id}/entitlements", call -> dunning.entitlements(call.tenant(), call.path("id"))),
                Route.get("/v1/accounts/{id}/dunning", call -> dunning.timeline(call.tenant(), call.path("id"))),
                Route.get("/v1/accounts/{id}/notifications", call -> notifications.list(call.tenant(), call.path("id"), call.paging())));
    }
}

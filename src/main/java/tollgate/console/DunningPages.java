package tollgate.console;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tollgate.accounts.Account;
import tollgate.accounts.Accounts;
import tollgate.dunning.Dunning;
import tollgate.dunning.DunningFigures;
import tollgate.dunning.DunningTimeline;
import tollgate.dunning.Entitlements;
import tollgate.invoicing.AmountFormat;
import tollgate.tenants.Tenant;
import tollgate.web.Web;

/**
 * The dunning board (issue 14 point 4, decision 046): the accounts in dunning in one column per current step (the
 * last that ran; "past due, no step yet" first), each with what it owes, since when, and the next action with its
 * date from the account's dunning timeline — the same answer as {@code GET /v1/accounts/{id}/dunning}. At most
 * {@link #SHOWN} accounts are drawn (the page says when there are more); the counts are of all of them.
 */
public final class DunningPages implements ConsolePages {
    public static final int SHOWN = 100;
    private final DunningFigures figures;
    private final Dunning dunning;
    private final Accounts accounts;

    public DunningPages(DunningFigures figures, Dunning dunning, Accounts accounts) {
        this.figures = figures;
        this.dunning = dunning;
        this.accounts = accounts;
    }

    @Override
    public void routes(Console console, Web.Router router) {
        router.get("/console/dunning", ctx -> board(console, ctx));
    }

    private void board(Console console, Context ctx) {
        ConsoleRequest req = console.signedIn(ctx);
        Tenant tenant = req.tenant();
        List<DunningFigures.AtStep> steps = figures.byStep(tenant);
        List<DunningFigures.InDunning> shown = figures.accounts(tenant, SHOWN + 1);
        boolean truncated = shown.size() > SHOWN;
        if (truncated) shown = shown.subList(0, SHOWN);
        Map<String, Account> byId = new LinkedHashMap<>();
        for (Account a : accounts.getAll(tenant, shown.stream().map(DunningFigures.InDunning::accountId).toList())) byId.put(a.id(), a);
        Map<String, List<BoardViews.BoardRow>> rows = new LinkedHashMap<>();
        for (DunningFigures.InDunning d : shown) {
            DunningTimeline t = dunning.timeline(tenant, d.accountId());
            Entitlements.UpcomingStep next = t.upcoming().isEmpty() ? null : t.upcoming().getFirst();
            String since = t.past().isEmpty() ? "" : "last step " + AccountViews.day(t.past().getLast().ranAt());
            Account a = byId.get(d.accountId());
            rows.computeIfAbsent(HomePages.stepLabel(d.afterDays(), d.action()), k -> new ArrayList<>()).add(new BoardViews.BoardRow(
                    a == null ? d.accountId() : a.name(), AccountPages.href(d.accountId()), AmountFormat.withSymbol(t.pastDueAmount(), t.currency()),
                    since, next == null ? "No step left: waiting for payment" : next.action().replace('_', ' '),
                    next == null ? "" : AccountViews.day(next.dueAt()),
                    dunning.pauseOf(tenant, d.accountId()).map(p -> "paused until " + AccountViews.day(p.resumeOn())).orElse("")));
        }
        List<BoardViews.BoardColumn> columns = new ArrayList<>();
        int total = 0;
        for (DunningFigures.AtStep s : steps) {
            String label = HomePages.stepLabel(s.afterDays(), s.action());
            total += s.accounts();
            columns.add(new BoardViews.BoardColumn("step-" + columns.size(), label, rows.getOrDefault(label, List.of()), s.accounts()));
        }
        console.render(ctx, 200, "console/dunning.jte", new BoardViews.Board(console.layout(ctx, req, "Dunning", "dunning"), total,
                columns, truncated));
    }
}

package tollgate.console;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tollgate.accounts.Account;
import tollgate.accounts.Accounts;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.dunning.Dunning;
import tollgate.dunning.DunningTimeline;
import tollgate.dunning.Entitlements;
import tollgate.events.EventLog;
import tollgate.invoicing.AmountFormat;
import tollgate.invoicing.Invoices;
import tollgate.licensing.LicenseStatus;
import tollgate.licensing.Licensing;
import tollgate.notify.Notifications;
import tollgate.subscriptions.Subscription;
import tollgate.subscriptions.SubscriptionStatus;
import tollgate.subscriptions.Subscriptions;
import tollgate.tenants.Tenant;
import tollgate.web.Web;
import tollgate.web.WebError;

/**
 * Accounts in the console (issue 14 point 3, decision 042): search by name, email, id, site or the last characters of a
 * license key, and one account's page with everything support needs — licenses and bundles, subscriptions, invoices,
 * the dunning timeline past and upcoming, notifications and events — and its actions as links.
 */
public final class AccountPages implements ConsolePages {
    static final int SEARCH_LIMIT = 25;
    private static final int SHOWN = 20;

    /** What the account page reads. */
    public record Services(Accounts accounts, Licensing licensing, Subscriptions subscriptions, Invoices invoices,
                           Dunning dunning, Notifications notifications, EventLog events, tollgate.catalog.Plans plans) {}

    private final Services s;

    public AccountPages(Services services) {
        this.s = services;
    }

    @Override
    public void routes(Console console, Web.Router router) {
        router.get("/console/accounts", ctx -> search(console, ctx));
        router.get("/console/accounts/{id}", ctx -> account(console, ctx));
    }

    private void search(Console console, Context ctx) {
        ConsoleRequest req = console.signedIn(ctx);
        String q = ctx.queryParam("q") == null ? "" : ctx.queryParam("q").strip();
        if (q.length() > 200) q = q.substring(0, 200);
        List<Account> found = q.isEmpty() ? s.accounts().list(req.tenant(), new Paging(SEARCH_LIMIT, null)).data() : find(req.tenant(), q);
        List<AccountViews.SearchRow> rows = found.stream().limit(SEARCH_LIMIT).map(a -> new AccountViews.SearchRow(
                href(a.id()), a.name(), a.email(), a.id(), AccountViews.day(a.createdAt(), java.time.ZoneId.of(a.timezone())))).toList();
        console.render(ctx, 200, "console/accounts.jte", new AccountViews.SearchPage(console.layout(ctx, req, "Accounts", "accounts"),
                q, rows, !q.isEmpty(), found.size() > SEARCH_LIMIT));
    }

    /** Accounts by id, name or email first, then those whose licenses match the text (key, key ending, site). */
    private List<Account> find(Tenant tenant, String q) {
        Map<String, Account> found = new LinkedHashMap<>();
        for (Account a : s.accounts().search(tenant, q, SEARCH_LIMIT + 1)) found.put(a.id(), a);
        if (found.size() <= SEARCH_LIMIT) {
            List<String> more = new ArrayList<>(s.licensing().accountsMatching(tenant, q, SEARCH_LIMIT + 1));
            more.removeAll(found.keySet());
            for (Account a : s.accounts().getAll(tenant, more)) found.put(a.id(), a);
        }
        return List.copyOf(found.values());
    }

    static String href(String accountId) {
        return ConsoleRequest.href("accounts/" + accountId);
    }

    /** The account of the address, or the 404 page (another tenant's account is not found either). */
    static Account accountOf(Accounts accounts, Tenant tenant, String id) {
        try {
            return accounts.get(tenant, id);
        } catch (Problem p) {
            throw WebError.notFound();
        }
    }

    private void account(Console console, Context ctx) {
        ConsoleRequest req = console.signedIn(ctx);
        Tenant t = req.tenant();
        Account a = accountOf(s.accounts(), t, ctx.pathParam("id"));
        java.time.ZoneId zone = java.time.ZoneId.of(a.timezone());
        String cur = a.currency();
        Paging few = new Paging(SHOWN, null);
        Entitlements ent = s.dunning().entitlements(t, a.id());
        DunningTimeline timeline = s.dunning().timeline(t, a.id());
        String pausedUntil = s.dunning().pauseOf(t, a.id()).map(p -> AccountViews.day(p.resumeOn())).orElse(null);

        List<AccountViews.Fact> facts = new ArrayList<>(List.of(
                new AccountViews.Fact("Created", AccountViews.day(a.createdAt(), zone)),
                new AccountViews.Fact("Currency", cur.toUpperCase(java.util.Locale.ROOT)),
                new AccountViews.Fact("Time zone", a.timezone()),
                new AccountViews.Fact("Balance", AmountFormat.withSymbol(-a.balance(), cur) + (a.balance() < 0 ? " credit" : "")),
                new AccountViews.Fact("Past due", AmountFormat.withSymbol(ent.pastDueAmount(), cur))));
        if (a.company() != null && a.company().legalName() != null)
            facts.add(new AccountViews.Fact("Legal name", a.company().legalName()));
        if (a.company() != null && a.company().taxId() != null) facts.add(new AccountViews.Fact("VAT / tax id", a.company().taxId()));
        if (pausedUntil != null) facts.add(new AccountViews.Fact("Dunning paused until", pausedUntil));
        if (ent.nextDunningStep() != null) facts.add(new AccountViews.Fact("Next dunning step",
                ent.nextDunningStep().action().replace('_', ' ') + " on " + AccountViews.day(ent.nextDunningStep().dueAt(), zone)));

        List<AccountViews.Badge> standing = new ArrayList<>();
        if (timeline.inDunning()) standing.add(new AccountViews.Badge("in dunning", "danger"));
        if (pausedUntil != null) standing.add(new AccountViews.Badge("dunning paused until " + pausedUntil, "info"));
        if (!ent.canIssueLicenses()) standing.add(new AccountViews.Badge("new licenses blocked", "danger"));
        if (!"active".equals(ent.services())) standing.add(AccountViews.Badge.of(ent.services()));
        if (standing.isEmpty()) standing.add(new AccountViews.Badge("in good standing", "success"));

        List<AccountViews.ActionLink> actions = new ArrayList<>();
        if (req.canActOnAccounts()) actions.add(new AccountViews.ActionLink("Edit company details",
                href(a.id()) + "/act/company", false));
        if (req.canActOnAccounts()) actions.add(new AccountViews.ActionLink("View the portal", href(a.id()) + "/act/view-portal", false));
        if (req.canActOnAccounts()) actions.add(new AccountViews.ActionLink(pausedUntil == null ? "Pause dunning" : "Extend the pause",
                href(a.id()) + "/act/pause-dunning", false));

        // Plans by name, each read once for the page.
        Map<String, String> planNames = new java.util.HashMap<>();
        java.util.function.Function<String, String> planName = id -> planNames.computeIfAbsent(id, p -> s.plans().get(t, p).name());
        List<AccountViews.SubscriptionRow> subs = s.subscriptions().list(t, a.id(), null, few).data().stream()
                .map(sub -> subscriptionRow(req, a, sub, planName)).toList();
        Map<LicenseStatus, Integer> counts = s.licensing().counts(t, a.id());
        String licenseCounts = counts.get(LicenseStatus.ASSIGNED) + " assigned · " + counts.get(LicenseStatus.UNASSIGNED)
                + " unassigned · " + counts.get(LicenseStatus.REVOKED) + " revoked";
        List<AccountViews.LicenseRow> licenses = s.licensing().accountPage(t, a.id(), null, null, 1, SHOWN).licenses().stream()
                .map(l -> new AccountViews.LicenseRow("…" + l.keySuffix(), planName.apply(l.plan()), AccountViews.Badge.of(l.status().wire()),
                        l.siteUrl() == null ? "—" : l.siteUrl(), AccountViews.day(l.issuedAt(), zone))).toList();
        List<AccountViews.BundleRow> bundles = s.licensing().bundles(t, a.id(), few).data().stream()
                .map(b -> new AccountViews.BundleRow(b.id(), planName.apply(b.plan()), b.size(), AccountViews.Badge.of(b.status()),
                        AccountViews.day(b.createdAt(), zone))).toList();
        List<AccountViews.InvoiceRow> invoices = s.invoices().list(t, a.id(), few).data().stream()
                .map(i -> new AccountViews.InvoiceRow(InvoiceDesk.href(i.id()), i.number() == null ? i.id() : i.number(),
                        AccountViews.day(i.issuedAt() == null ? i.billingDate() : i.issuedAt(), zone), AccountViews.Badge.of(i.status().wire()),
                        AmountFormat.withSymbol(i.total(), i.currency()), AmountFormat.withSymbol(i.amountDue(), i.currency()))).toList();
        List<AccountViews.StepRow> past = timeline.past().stream().map(r -> new AccountViews.StepRow(AccountViews.day(r.ranAt(), zone),
                r.invoice(), "Step " + r.step() + ": " + r.action().replace('_', ' '), r.outcome() == null ? "" : r.outcome())).toList();
        List<AccountViews.StepRow> upcoming = timeline.upcoming().stream().map(u -> new AccountViews.StepRow(
                AccountViews.day(u.dueAt(), zone), u.invoice(), "Step " + u.step() + ": " + u.action().replace('_', ' '), "if still unpaid"))
                .toList();
        List<AccountViews.NotificationRow> mails = s.notifications().list(t, a.id(), few).data().stream()
                .map(n -> new AccountViews.NotificationRow(AccountViews.minute(n.createdAt(), zone), n.template(), n.recipient(),
                        AccountViews.Badge.of(n.status()))).toList();
        List<AccountViews.EventRow> events = s.events().list(t.id(), null, a.id(), few).data().stream()
                .map(e -> new AccountViews.EventRow(AccountViews.minute(e.createdAt(), zone), e.type(), e.id())).toList();

        console.render(ctx, 200, "console/account.jte", new AccountViews.AccountPage(console.layout(ctx, req, a.name(), "accounts"),
                a.name(), a.email(), a.id(), facts, standing, actions, subs, licenseCounts, licenses, bundles, invoices, past,
                upcoming, pausedUntil, mails, events));
    }

    private static AccountViews.SubscriptionRow subscriptionRow(ConsoleRequest req, Account a, Subscription sub,
                                                                java.util.function.Function<String, String> planName) {
        java.time.ZoneId zone = java.time.ZoneId.of(a.timezone());
        List<AccountViews.ActionLink> actions = new ArrayList<>();
        boolean ended = sub.status() == SubscriptionStatus.CANCELED;
        String base = href(a.id()) + "/subscriptions/" + sub.id() + "/act/";
        if (req.canActOnAccounts() && !ended) {
            if (sub.cancelAtPeriodEnd()) actions.add(new AccountViews.ActionLink("Reactivate", base + "reactivate", false));
            else actions.add(new AccountViews.ActionLink("Cancel at period end", base + "cancel", true));
            if (sub.seats() != null) actions.add(new AccountViews.ActionLink("Change seats", base + "seats", false));
            if (sub.planType() == tollgate.catalog.PlanType.FLAT || sub.planType() == tollgate.catalog.PlanType.SEATS)
                actions.add(new AccountViews.ActionLink("Change plan", base + "plan", false));
            if (!sub.cancelAtPeriodEnd() && sub.planType() != tollgate.catalog.PlanType.USAGE)
                actions.add(new AccountViews.ActionLink("Give free periods", base + "free", false));
        }
        String note = sub.cancelAtPeriodEnd() ? "ends " + AccountViews.day(sub.currentPeriodEnd(), zone)
                : sub.trialEnd() != null && sub.status() == SubscriptionStatus.TRIALING ? "trial until " + AccountViews.day(sub.trialEnd(), zone) : "";
        if (sub.pendingPlan() != null && !ended)
            note = (note.isEmpty() ? "" : note + " · ") + "moves to " + planName.apply(sub.pendingPlan()) + " on " + AccountViews.day(sub.currentPeriodEnd(), zone);
        int free = sub.billing().freePeriods();
        if (free > 0 && !ended) note = (note.isEmpty() ? "" : note + " · ") + "next " + (free == 1 ? "renewal" : free + " renewals") + " free";
        return new AccountViews.SubscriptionRow(sub.id(), planName.apply(sub.plan()), AccountViews.Badge.of(sub.status().wire()),
                sub.seats() == null ? "—" : String.valueOf(sub.seats()), AccountViews.day(sub.currentPeriodEnd(), zone), note, actions);
    }
}

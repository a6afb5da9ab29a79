package tollgate.portal;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import tollgate.accounts.Account;
import tollgate.billing.BillingPreview;
import tollgate.catalog.Plan;
import tollgate.catalog.PlanType;
import tollgate.catalog.Plans;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.dunning.Dunning;
import tollgate.dunning.Entitlements;
import tollgate.invoicing.AmountFormat;
import tollgate.invoicing.Discount;
import tollgate.invoicing.Invoice;
import tollgate.invoicing.InvoiceLine;
import tollgate.invoicing.Invoices;
import tollgate.subscriptions.Subscription;
import tollgate.subscriptions.SubscriptionStatus;
import tollgate.subscriptions.Subscriptions;
import tollgate.web.Form;
import tollgate.web.Layout;
import tollgate.web.SeeOther;
import tollgate.web.Web;
import tollgate.web.WebError;

/**
 * The Billing page (decision 036): the subscription's status, seats, this period's total and the next invoice, the
 * licenses' month so far; starting, changing seats of, canceling and resuming a subscription through the same
 * {@link Subscriptions} service as the API. Owners and admins only.
 */
final class BillingPages {
    /** What the pages read and change, wired by Tollgate. */
    record Services(Subscriptions subscriptions, Plans plans, Invoices invoices, BillingPreview preview, Dunning dunning) {}

    static final int SITES_SHOWN = 50;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("MMMM d, yyyy", Locale.ENGLISH);
    private final Portal portal;
    private final Services s;

    BillingPages(Portal portal, Services services) {
        this.portal = portal;
        this.s = services;
    }

    void routes(Web.Router router) {
        router.get("/portal/{slug}/billing", ctx -> show(ctx, 200, null, null));
        router.post("/portal/{slug}/billing/subscribe", this::subscribe);
        router.get("/portal/{slug}/billing/seats", this::confirmSeats);
        router.post("/portal/{slug}/billing/seats", this::changeSeats);
        router.get("/portal/{slug}/billing/cancel", this::confirmCancel);
        router.post("/portal/{slug}/billing/cancel", this::cancel);
        router.post("/portal/{slug}/billing/resume", this::resume);
        new CompanyPages(portal).routes(router);
    }

    /** The signed-in request of an owner or admin: the others get the 403 page. */
    static PortalRequest manager(Portal portal, Context ctx) {
        PortalRequest req = portal.signedIn(ctx);
        if (!req.user().orElseThrow().managesUsers()) throw WebError.forbidden();
        return req;
    }

    /** The account's subscription to a flat or seats plan that is not canceled, if any. */
    private Optional<Subscription> live(PortalRequest req) {
        return s.subscriptions.list(req.tenant(), req.account().orElseThrow().id(), null, new Paging(Paging.MAX_LIMIT, null)).data()
                .stream().filter(x -> !x.isCanceled() && x.planType() != PlanType.USAGE).findFirst();
    }

    private Optional<Subscription> lastCanceled(PortalRequest req) {
        return s.subscriptions.list(req.tenant(), req.account().orElseThrow().id(), "canceled", new Paging(Paging.MAX_LIMIT, null))
                .data().stream().filter(x -> x.planType() != PlanType.USAGE).findFirst();
    }

    private void show(Context ctx, int status, Form startForm, Form seatsForm) {
        PortalRequest req = manager(portal, ctx);
        Account account = req.account().orElseThrow();
        ZoneId zone = ZoneId.of(account.timezone());
        String cur = account.currency();
        Optional<Subscription> live = live(req);
        BillingViews.Managed managed = null;
        BillingViews.Start start = null;
        if (live.isPresent()) {
            managed = managed(req, live.get(), zone, cur, seatsForm);
        } else {
            Optional<Subscription> canceled = lastCanceled(req);
            start = new BillingViews.Start(plans(req, cur), startForm == null ? Form.empty().with("seats", "1") : startForm,
                    canceled.map(c -> plan(req, c.plan()).name()).orElse(null),
                    canceled.map(c -> date(c.canceledAt(), zone)).orElse(null),
                    startForm != null && startForm.hasError("card"), req.href("payment-methods?return=billing"), tollgate.web.FormTokens.newToken());
        }
        portal.pages.send(ctx, status, "portal/billing.jte", new BillingViews.Billing(portal.layout(ctx, req, "Billing", "billing"),
                managed, start, licenses(req, zone, cur), preview(req, zone, cur), cur.toUpperCase(Locale.ROOT),
                req.href("billing/seats"), req.href("billing/cancel"), req.href("billing/resume"), req.href("billing/subscribe")));
    }

    private BillingViews.Managed managed(PortalRequest req, Subscription sub, ZoneId zone, String cur, Form seatsForm) {
        Plan plan = plan(req, sub.plan());
        Entitlements ent = s.dunning.entitlements(req.tenant(), sub.account());
        BillingViews.Badge badge = badge(sub, ent);
        // This period as it was invoiced: the lines of this subscription dated at the period's start, and its discount.
        List<BillingViews.Row> rows = new ArrayList<>();
        long total = 0, discount = 0;
        String discountLabel = "Discount";
        // Read by the subscription and period (issue 13): not every invoice with every line of the account.
        Invoice.Lines ofPeriod = s.invoices.reads().ofPeriod(req.tenant(), sub.account(), sub.id(), sub.currentPeriodStart(),
                List.of("subscription", "seats"));
        for (Invoice.Line l : ofPeriod.lines()) {
            rows.add(new BillingViews.Row("seats".equals(l.kind()) ? "Extra seats" : "Base plan", l.description(), money(l.amount(), cur)));
            total += l.amount();
        }
        for (Discount d : ofPeriod.discounts()) {
            discount += d.amount();
            discountLabel = d.description();
        }
        String note = sub.isInTrial() ? "Free trial until " + date(sub.currentPeriodEnd(), zone) + ": nothing is charged before then."
                : rows.isEmpty() ? "Nothing has been invoiced for this period yet." : null;
        String notice = null;
        if (sub.cancelAtPeriodEnd())
            notice = "Your subscription ends on " + date(sub.currentPeriodEnd(), zone) + ". You keep it until then and will not be "
                    + "billed again for it.";
        else if (sub.pendingSeats() != null)
            notice = "From " + date(sub.currentPeriodEnd(), zone) + " you will have " + sub.pendingSeats() + " seats.";
        Form form = seatsForm != null ? seatsForm
                : Form.empty().with("seats", String.valueOf(sub.pendingSeats() != null ? sub.pendingSeats() : sub.seats() == null ? 0 : sub.seats()));
        // Prorations owed (seats added, an upgrade), billed on the subscription's next billing date: that may come after
        // the account's next invoice (licenses on the 1st), so they are listed here with their own date.
        List<BillingViews.Row> toCome = s.subscriptions.pendingCharges(req.tenant(), sub.id()).stream()
                .map(c -> new BillingViews.Row(c.description(), "Invoiced on " + date(c.billAt(), zone), money(c.amount(), cur))).toList();
        return new BillingViews.Managed(plan.name(), badge, sub.billing().interval().wire() + "ly", date(sub.currentPeriodStart(), zone),
                date(sub.currentPeriodEnd(), zone), date(sub.currentPeriodEnd(), zone), plan.type() == PlanType.SEATS,
                plan.includedSeats() == null ? 0 : plan.includedSeats(), sub.seats(), sub.pendingSeats(),
                plan.seatAmount() == null ? null : money(plan.seatAmount(), cur), rows, discountLabel, discount == 0 ? null : "−" + money(discount, cur),
                money(total - discount, cur), note, toCome, sub.cancelAtPeriodEnd(), notice, form, plan.seatsFollowPortalUsers(), req.href("users"));
    }

    /** Dunning's state outranks the subscription's own: a suspended account shows Suspended whatever its plans say. */
    static BillingViews.Badge badge(Subscription sub, Entitlements ent) {
        if (sub.status() == SubscriptionStatus.CANCELED) return new BillingViews.Badge("Canceled", "canceled");
        if (sub.status() == SubscriptionStatus.SUSPENDED || "suspended".equals(ent.services()))
            return new BillingViews.Badge("Suspended", "suspended");
        if (sub.status() == SubscriptionStatus.PAST_DUE || ent.pastDueAmount() > 0) return new BillingViews.Badge("Past due", "past-due");
        if (sub.status() == SubscriptionStatus.TRIALING) return new BillingViews.Badge("Trial", "trial");
        return new BillingViews.Badge("Active", "active");
    }

    private BillingViews.Licenses licenses(PortalRequest req, ZoneId zone, String cur) {
        var month = s.preview.licensesThisMonth(req.tenant(), req.account().orElseThrow().id(), zone, SITES_SHOWN);
        if (month.count() == 0) return null;
        List<BillingViews.SiteCost> shown = new ArrayList<>();
        Map<String, String> planNames = new HashMap<>(); // the shown sites' plans, each read once
        for (InvoiceLine l : month.lines())
            shown.add(new BillingViews.SiteCost(l.siteUrl() == null ? "Not assigned" : l.siteUrl(), "…" + l.keySuffix(),
                    planNames.computeIfAbsent(l.plan(), id -> plan(req, id).name()), l.days() + (l.days() == 1 ? " day" : " days"),
                    money(l.amount(), cur)));
        String monthName = month.lines().getFirst().periodStart().atZone(zone).format(DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH));
        return new BillingViews.Licenses(month.count(), monthName, money(month.total(), cur), shown, month.count() - shown.size());
    }

    private BillingViews.Preview preview(PortalRequest req, ZoneId zone, String cur) {
        Optional<Invoice> next = s.preview.upcoming(req.tenant(), req.account().orElseThrow().id());
        if (next.isEmpty()) return null;
        Invoice inv = next.get();
        List<BillingViews.Row> lines = new ArrayList<>();
        // Many licenses are one row: the per-site table above has them one by one.
        long licenses = 0;
        long licenseCount = 0; // a preview's license line may stand for many licenses: its quantity (decision 047)
        for (Invoice.Line l : inv.lines()) {
            if ("license".equals(l.kind())) {
                licenses += l.amount();
                licenseCount += l.quantity();
            } else {
                lines.add(new BillingViews.Row(l.description(), null, money(l.amount(), cur)));
            }
        }
        if (licenseCount > 0)
            lines.add(new BillingViews.Row(licenseCount + (licenseCount == 1 ? " license" : " licenses"), "for the month", money(licenses, cur)));
        List<BillingViews.Row> discounts = inv.discounts().stream()
                .map(d -> new BillingViews.Row(d.description(), null, "−" + money(d.amount(), cur))).toList();
        return new BillingViews.Preview(date(inv.billingDate(), zone), lines, discounts, money(inv.subtotal(), cur), money(inv.total(), cur));
    }

    private List<BillingViews.PlanChoice> plans(PortalRequest req, String cur) {
        List<BillingViews.PlanChoice> out = new ArrayList<>();
        for (Plan p : s.plans.list(req.tenant(), new Paging(Paging.MAX_LIMIT, null)).data()) {
            if ((p.type() != PlanType.FLAT && p.type() != PlanType.SEATS) || !p.currency().equalsIgnoreCase(cur)) continue;
            String every = " a " + p.interval().wire();
            String price = money(p.amount() == null ? 0 : p.amount(), cur) + every;
            if (p.type() == PlanType.SEATS)
                price += ", " + p.includedSeats() + (p.includedSeats() == 1 ? " seat" : " seats") + " included, then "
                        + money(p.seatAmount(), cur) + " a seat";
            if (p.seatsFollowPortalUsers()) price += " · a seat for each active user";
            if (p.trialDays() > 0) price += " · " + p.trialDays() + "-day free trial";
            out.add(new BillingViews.PlanChoice(p.id(), p.name(), price, p.type() == PlanType.SEATS,
                    p.includedSeats() == null ? 0 : p.includedSeats()));
        }
        return out;
    }

    private void subscribe(Context ctx) {
        PortalRequest req = manager(portal, ctx);
        // A double submit finds the subscription the first one started: one effect.
        if (live(req).isPresent()) throw new SeeOther(req.href("billing"));
        Form form = Form.posted(ctx, "plan", "seats");
        form.require("plan", "Choose a plan.");
        Plan plan = null;
        if (!form.value("plan").isEmpty()) {
            plan = s.plans.list(req.tenant(), new Paging(Paging.MAX_LIMIT, null)).data().stream()
                    .filter(p -> p.id().equals(form.value("plan")) && (p.type() == PlanType.FLAT || p.type() == PlanType.SEATS))
                    .findFirst().orElse(null);
            if (plan == null) form.reject("plan", "Choose a plan from the list.");
        }
        Integer seats = null;
        // A plan whose seats are the account's active users counts them itself (decision 039): the field is not asked.
        if (plan != null && plan.type() == PlanType.SEATS && !plan.seatsFollowPortalUsers()) {
            seats = seats(form);
        }
        if (!form.valid()) {
            show(ctx, 422, form, null);
            return;
        }
        // The same form sent twice at once (a double click): the check above may pass for both, the token for one only.
        if (!portal.formTokens.firstUse(req.session(), ctx.formParam("form_token"))) throw new SeeOther(req.href("billing"));
        try {
            s.subscriptions.subscribe(req.tenant(), req.account().orElseThrow().id(), plan.id(), seats, null);
        } catch (Problem p) {
            if ("payment_method_required".equals(p.code())) form.reject("card", "Add a card first: your subscription is charged to it.");
            else form.reject("seats".equals(p.field()) ? "seats" : "plan", p.detail());
            show(ctx, p.status(), form, null);
            return;
        }
        portal.flashes.add(ctx, Layout.Flash.Kind.SUCCESS, "Your " + plan.name() + " subscription has started.", req.base());
        throw new SeeOther(req.href("billing"));
    }

    /** The seats typed, checked as a whole number from 1 to 10,000 (the message goes beside the field). */
    private static Integer seats(Form form) {
        String v = form.value("seats");
        if (!v.matches("\\d{1,6}") || Integer.parseInt(v) < 1 || Integer.parseInt(v) > 10_000) {
            form.reject("seats", "Enter a whole number of seats from 1 to 10,000.");
            return null;
        }
        return Integer.parseInt(v);
    }

    private void confirmSeats(Context ctx) {
        PortalRequest req = manager(portal, ctx);
        Subscription sub = live(req).orElseThrow(() -> new SeeOther(req.href("billing")));
        Plan plan = plan(req, sub.plan());
        Form form = Form.empty().with("seats", ctx.queryParam("seats") == null ? "" : ctx.queryParam("seats").strip());
        Integer seats = plan.type() == PlanType.SEATS ? seats(form) : null;
        if (seats == null) {
            if (plan.type() != PlanType.SEATS) throw new SeeOther(req.href("billing"));
            show(ctx, 422, null, form);
            return;
        }
        ZoneId zone = ZoneId.of(req.account().orElseThrow().timezone());
        String cur = req.account().orElseThrow().currency();
        int now = sub.seats();
        String end = date(sub.currentPeriodEnd(), zone);
        List<String> follows = new ArrayList<>();
        String lead;
        if (seats > now) {
            long extra = Math.max(0, seats - Math.max(now, plan.includedSeats())) * plan.seatAmount();
            lead = "From " + now + " to " + seats + " seats, starting today.";
            follows.add("The " + (seats - now) + (seats - now == 1 ? " seat is" : " seats are") + " yours at once.");
            if (extra > 0 && !sub.isInTrial())
                follows.add("For the rest of this period, until " + end + ", you pay for the extra seats prorated to today. That "
                        + "amount is invoiced on " + date(s.subscriptions.prorationBilledAt(req.tenant(), sub), zone) + ", your "
                        + "subscription's next billing date; until then the Billing page lists it under Charges to come.");
            follows.add("From " + end + " each period costs " + money(extra, cur) + " more than now.");
        } else if (seats < now) {
            lead = "From " + now + " to " + seats + " seats, from your next period.";
            follows.add("You keep " + now + " seats until " + end + ": this period is already paid and is not refunded.");
            follows.add("From " + end + " you have " + seats + " seats and pay for those.");
        } else {
            lead = "You keep " + seats + " seats.";
            follows.add(sub.pendingSeats() != null ? "The change to " + sub.pendingSeats() + " seats planned for " + end + " is dropped."
                    : "Nothing changes.");
        }
        portal.pages.send(ctx, "portal/billing-confirm.jte", new BillingViews.Confirm(portal.layout(ctx, req, "Change seats", "billing"),
                "Change seats?", lead, follows, req.href("billing/seats"), "Change to " + seats + " seats", req.href("billing"),
                List.of(new Form.Option("seats", String.valueOf(seats))), false));
    }

    private void changeSeats(Context ctx) {
        PortalRequest req = manager(portal, ctx);
        Subscription sub = live(req).orElseThrow(() -> new SeeOther(req.href("billing")));
        Form form = Form.posted(ctx, "seats");
        Integer seats = seats(form);
        if (seats == null) {
            show(ctx, 422, null, form);
            return;
        }
        // Submitted twice: the second finds the seats already set (or already waiting for the next period).
        int target = sub.pendingSeats() != null ? sub.pendingSeats() : sub.seats();
        if (seats != target) {
            try {
                s.subscriptions.update(req.tenant(), sub.id(), seats, null);
            } catch (Problem p) {
                form.reject("seats", p.detail());
                show(ctx, p.status(), null, form);
                return;
            }
            ZoneId zone = ZoneId.of(req.account().orElseThrow().timezone());
            portal.flashes.add(ctx, Layout.Flash.Kind.SUCCESS, seats > sub.seats() ? "You now have " + seats + " seats."
                    : "You will have " + seats + " seats from " + date(sub.currentPeriodEnd(), zone) + ".", req.base());
        }
        throw new SeeOther(req.href("billing"));
    }

    private void confirmCancel(Context ctx) {
        PortalRequest req = manager(portal, ctx);
        Subscription sub = live(req).orElseThrow(() -> new SeeOther(req.href("billing")));
        String end = date(sub.currentPeriodEnd(), ZoneId.of(req.account().orElseThrow().timezone()));
        portal.pages.send(ctx, "portal/billing-confirm.jte", new BillingViews.Confirm(portal.layout(ctx, req, "Cancel subscription", "billing"),
                "Cancel your subscription?", "Your " + plan(req, sub.plan()).name() + " subscription ends on " + end + ".",
                List.of("You keep everything it includes until " + end + ".", "You will not be charged for it again; nothing is refunded.",
                        "Until " + end + " you can change your mind here with Resume subscription."),
                req.href("billing/cancel"), "Cancel at period end", req.href("billing"), List.of(), true));
    }

    private void cancel(Context ctx) {
        PortalRequest req = manager(portal, ctx);
        Optional<Subscription> sub = live(req);
        if (sub.isPresent() && !sub.get().cancelAtPeriodEnd()) {
            try {
                s.subscriptions.cancel(req.tenant(), sub.get().id(), true);
            } catch (Problem p) {
                refused(ctx, req, p);
            }
            String end = date(sub.get().currentPeriodEnd(), ZoneId.of(req.account().orElseThrow().timezone()));
            portal.flashes.add(ctx, Layout.Flash.Kind.INFO, "Your subscription will end on " + end + ".", req.base());
        }
        throw new SeeOther(req.href("billing"));
    }

    private void resume(Context ctx) {
        PortalRequest req = manager(portal, ctx);
        Optional<Subscription> sub = live(req);
        if (sub.isPresent() && sub.get().cancelAtPeriodEnd()) {
            try {
                s.subscriptions.update(req.tenant(), sub.get().id(), null, false);
            } catch (Problem p) {
                refused(ctx, req, p);
            }
            portal.flashes.add(ctx, Layout.Flash.Kind.SUCCESS, "Your subscription continues: it renews as before.", req.base());
        }
        throw new SeeOther(req.href("billing"));
    }

    /** A change the service refuses (a subscription dunning holds, say): back to the page with the reason. */
    private void refused(Context ctx, PortalRequest req, Problem p) {
        portal.flashes.add(ctx, Layout.Flash.Kind.ERROR, "That did not work: " + p.detail(), req.base());
        throw new SeeOther(req.href("billing"));
    }

    private Plan plan(PortalRequest req, String id) {
        return s.plans.get(req.tenant(), id);
    }

    static String money(long minor, String currency) {
        return AmountFormat.withCode(minor, currency);
    }

    static String date(Instant at, ZoneId zone) {
        return at == null ? null : at.atZone(zone).format(DATE);
    }
}

package tollgate.console;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tollgate.accounts.Account;
import tollgate.accounts.AccountChangeRules;
import tollgate.accounts.Accounts;
import tollgate.catalog.Plan;
import tollgate.catalog.PlanType;
import tollgate.catalog.Plans;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.dunning.Dunning;
import tollgate.parties.Address;
import tollgate.parties.Company;
import tollgate.subscriptions.PlanChange;
import tollgate.subscriptions.Subscription;
import tollgate.subscriptions.Subscriptions;
import tollgate.tenants.Tenant;
import tollgate.web.Form;
import tollgate.web.Web;
import tollgate.web.WebError;

/**
 * Actions on an account and its subscriptions in the console (issue 14 point 3, decision 042): edit the company
 * details printed on the next invoices; cancel a subscription at the end of its period, reactivate it, change its
 * seats or its plan (decision 052). Each asks first, runs once ({@link ActionForms}) and is audited with the fields before and after.
 */
public final class AccountActions implements ConsolePages {
    private static final List<AccountViews.Field> COMPANY_FIELDS = List.of(
            new AccountViews.Field("name", "Account name", "text", true, null),
            new AccountViews.Field("email", "Email", "email", true, "Where invoices and notices go"),
            new AccountViews.Field("legal_name", "Legal name", "text", false, "As printed on invoices"),
            new AccountViews.Field("tax_id", "VAT / tax id", "text", false, null),
            new AccountViews.Field("line1", "Address", "text", false, null),
            new AccountViews.Field("city", "City", "text", false, null),
            new AccountViews.Field("postal_code", "Postal code", "text", false, null),
            new AccountViews.Field("country", "Country (two letters)", "text", false, "e.g. DE, US"));

    private final Accounts accounts;
    private final Plans plans;
    private final Subscriptions subscriptions;
    private final Dunning dunning;
    private final tollgate.portal.ViewingAs viewingAs;
    private final ActionForms forms;

    public AccountActions(Accounts accounts, Plans plans, Subscriptions subscriptions, Dunning dunning,
                          tollgate.portal.ViewingAs viewingAs, ActionForms forms) {
        this.accounts = accounts;
        this.plans = plans;
        this.subscriptions = subscriptions;
        this.dunning = dunning;
        this.viewingAs = viewingAs;
        this.forms = forms;
    }

    @Override
    public void routes(Console console, Web.Router router) {
        router.get("/console/accounts/{id}/act/company", ctx -> company(console, ctx, false));
        router.post("/console/accounts/{id}/act/company", ctx -> company(console, ctx, true));
        router.get("/console/accounts/{id}/act/pause-dunning", ctx -> pauseDunning(console, ctx, false));
        router.post("/console/accounts/{id}/act/pause-dunning", ctx -> pauseDunning(console, ctx, true));
        router.get("/console/accounts/{id}/act/view-portal", ctx -> viewPortal(console, ctx, false));
        router.post("/console/accounts/{id}/act/view-portal", ctx -> viewPortal(console, ctx, true));
        router.get("/console/accounts/{id}/subscriptions/{sub}/act/{action}", ctx -> subscription(console, ctx, false));
        router.post("/console/accounts/{id}/subscriptions/{sub}/act/{action}", ctx -> subscription(console, ctx, true));
    }

    private void company(Console console, Context ctx, boolean submitted) {
        ConsoleRequest req = console.signedIn(ctx);
        req.requireActOnAccounts();
        Account a = AccountPages.accountOf(accounts, req.tenant(), ctx.pathParam("id"));
        ActionForms.Spec spec = new ActionForms.Spec(a.name(), "Company details", List.of(
                "What the next invoices show for this customer; invoices already issued keep what they printed."),
                COMPANY_FIELDS, "Save details", false, AccountPages.href(a.id()));
        if (!submitted) {
            Company c = a.company();
            Address ad = c == null || c.address() == null ? new Address(null, null, null, null, null, null) : c.address();
            Form form = Form.empty().with("name", a.name()).with("email", a.email()).with("legal_name", text(c == null ? null : c.legalName()))
                    .with("tax_id", text(c == null ? null : c.taxId())).with("line1", text(ad.line1())).with("city", text(ad.city()))
                    .with("postal_code", text(ad.postalCode())).with("country", text(ad.country()));
            forms.show(console, ctx, req, "Company details · " + a.name(), "accounts", spec, form, 200);
            return;
        }
        forms.submit(console, ctx, req, "Company details · " + a.name(), "accounts", spec, form -> {
            Company old = a.company();
            Address oldAd = old == null ? null : old.address();
            boolean noAddress = form.optional("line1") == null && form.optional("city") == null && form.optional("postal_code") == null
                    && form.optional("country") == null;
            Address address = noAddress ? null : new Address(form.optional("line1"), oldAd == null ? null : oldAd.line2(),
                    form.optional("city"), form.optional("postal_code"), oldAd == null ? null : oldAd.state(),
                    form.optional("country") == null ? null : form.value("country").toUpperCase(java.util.Locale.ROOT));
            Company company = new Company(form.optional("legal_name"), address, form.optional("tax_id"), old == null ? null : old.billingEmail());
            Account after = accounts.update(req.tenant(), a.id(), new AccountChangeRules.Changes(form.value("name"), form.value("email"),
                    null, company, null));
            return new ActionForms.Done(AccountPages.href(a.id()), "Company details saved: the next invoices show them.",
                    "account.company_details_changed", "account", a.id(), companyFields(a), companyFields(after));
        });
    }

    /**
     * Grace (decision 049): the account's dunning steps dated before the chosen day wait until it, then the policy goes
     * on from there with the steps left, keeping their spacing. Paying lifts it as it ends dunning.
     */
    private void pauseDunning(Console console, Context ctx, boolean submitted) {
        ConsoleRequest req = console.signedIn(ctx);
        req.requireActOnAccounts();
        Account a = AccountPages.accountOf(accounts, req.tenant(), ctx.pathParam("id"));
        java.time.ZoneId zone = java.time.ZoneId.of(a.timezone());
        var standing = dunning.pauseOf(req.tenant(), a.id());
        List<String> consequences = new java.util.ArrayList<>(List.of(
                "Until that day nothing is retried, emailed, blocked or suspended for this account's past-due invoices, nor for "
                        + "invoices that become past due meanwhile.",
                "On that day the policy goes on with the steps left, first the one that was next, keeping the days between "
                        + "them: postponed, not skipped.",
                "A payment of everything past due ends dunning and the pause with it, as usual."));
        standing.ifPresent(p -> consequences.add(0, "Dunning is already paused until " + AccountViews.day(p.resumeOn()) + ": choose a later day to extend it."));
        ActionForms.Spec spec = new ActionForms.Spec(a.name(), "Pause dunning until a date", consequences,
                List.of(new AccountViews.Field("resume_on", "Resume dunning on", "date", true, "A day in the account's time zone ("
                        + a.timezone() + "), at most " + Dunning.MAX_PAUSE_DAYS + " days ahead")), "Pause dunning", false, AccountPages.href(a.id()));
        String title = "Pause dunning · " + a.name();
        if (!submitted) {
            forms.show(console, ctx, req, title, "accounts", spec, Form.empty(), 200);
            return;
        }
        forms.submit(console, ctx, req, title, "accounts", spec, form -> {
            java.time.LocalDate day;
            try {
                day = java.time.LocalDate.parse(form.value("resume_on"));
            } catch (java.time.format.DateTimeParseException e) {
                throw new ActionForms.Refused(form.reject("resume_on", "Enter a day as YYYY-MM-DD."));
            }
            Map<String, Object> before = new LinkedHashMap<>();
            before.put("paused_until", standing.map(p -> p.resumeOn().toString()).orElse(null));
            dunning.pause(req.tenant(), a.id(), day);
            String next = dunning.timeline(req.tenant(), a.id()).upcoming().stream().findFirst()
                    .map(u -> " Next step: " + u.action().replace('_', ' ') + " on " + AccountViews.day(u.dueAt(), zone) + ".").orElse("");
            return new ActionForms.Done(AccountPages.href(a.id()), "Dunning paused until " + AccountViews.day(day) + "." + next,
                    "account.dunning_paused", "account", a.id(), before, Map.of("paused_until", day.toString()));
        });
    }

    /**
     * The customer's portal as they see it, read only (decision 049): this browser gets a viewing session of its own
     * audience for the tenant's portal (never a customer session), and the audit log says who viewed whose portal when.
     */
    private void viewPortal(Console console, Context ctx, boolean submitted) {
        ConsoleRequest req = console.signedIn(ctx);
        req.requireActOnAccounts();
        Account a = AccountPages.accountOf(accounts, req.tenant(), ctx.pathParam("id"));
        var user = viewingAs.userToViewAs(req.tenant(), a.id());
        ActionForms.Spec spec = new ActionForms.Spec(a.name(), "View the portal as the customer sees it", List.of(
                user.map(u -> "You see the pages " + u.name() + " (" + u.email() + ", " + u.role().wire() + ") sees, in this browser.")
                        .orElse("This account has no active portal user: there is no portal to see yet."),
                "Read only: every form is disabled and nothing can be changed. No password, link or session is made for the "
                        + "customer, and their own sessions are not touched.",
                "Your viewing is recorded in the audit log. It ends with \u201cStop viewing\u201d, or after 30 minutes without a page."),
                List.of(), "View the portal", false, AccountPages.href(a.id()));
        String title = "View the portal · " + a.name();
        if (!submitted) {
            forms.show(console, ctx, req, title, "accounts", spec, Form.empty(), 200);
            return;
        }
        forms.submit(console, ctx, req, title, "accounts", spec, form -> {
            String location = viewingAs.start(ctx, req.tenant(), a.id());
            var as = user.orElseThrow();
            return new ActionForms.Done(location, "You viewed the portal of " + a.name() + " as " + as.email() + ".",
                    "account.portal_viewed", "account", a.id(), Map.of(), Map.of("portal_user", as.id(), "as", as.email(), "read_only", true));
        });
    }

    private static Map<String, Object> companyFields(Account a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", a.name());
        m.put("email", a.email());
        Company c = a.company();
        m.put("legal_name", c == null ? null : c.legalName());
        m.put("tax_id", c == null ? null : c.taxId());
        m.put("address", c == null || c.address() == null ? null : String.join(", ", java.util.stream.Stream.of(c.address().line1(),
                c.address().city(), c.address().postalCode(), c.address().country()).filter(java.util.Objects::nonNull).toList()));
        return m;
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private void subscription(Console console, Context ctx, boolean submitted) {
        ConsoleRequest req = console.signedIn(ctx);
        req.requireActOnAccounts();
        Account a = AccountPages.accountOf(accounts, req.tenant(), ctx.pathParam("id"));
        Subscription sub;
        try {
            sub = subscriptions.get(req.tenant(), ctx.pathParam("sub"));
        } catch (Problem p) {
            throw WebError.notFound();
        }
        if (!sub.account().equals(a.id())) throw WebError.notFound();
        String action = ctx.pathParam("action");
        if ((action.equals("free") || action.equals("plan")) && sub.planType() != PlanType.FLAT && sub.planType() != PlanType.SEATS)
            throw WebError.notFound();
        String end = AccountViews.day(sub.currentPeriodEnd(), java.time.ZoneId.of(a.timezone()));
        String back = AccountPages.href(a.id());
        // People read the plan's name; its id is for the API.
        String planName = planName(req.tenant(), sub.plan());
        ActionForms.Spec spec = switch (action) {
            case "cancel" -> new ActionForms.Spec(a.name(), "Cancel " + planName + " at the end of the period?", List.of(
                    "The subscription runs, and is billed, until " + end + "; then it ends and nothing more is charged for it.",
                    "Until then you can reactivate it."), List.of(), "Cancel at period end", true, back);
            case "reactivate" -> new ActionForms.Spec(a.name(), "Reactivate " + planName + "?", List.of(
                    "The subscription no longer ends on " + end + ": it renews and is billed as before."), List.of(), "Reactivate", false, back);
            case "seats" -> new ActionForms.Spec(a.name(), "Change the seats of " + planName, List.of(
                    "More seats are charged at once, prorated to " + end + "; fewer seats take effect at the next period."),
                    List.of(new AccountViews.Field("seats", "Seats", "number", true, "Now " + sub.seats()
                            + (sub.pendingSeats() == null ? "" : ", " + sub.pendingSeats() + " from " + end))), "Change seats", false, back);
            case "plan" -> planSpec(req.tenant(), a, sub, end, back);
            case "free" -> new ActionForms.Spec(a.name(), "Give free periods", List.of(
                    "The next renewals are invoiced as usual, each with a discount line \u201cFree period\u201d and your reason that takes "
                            + "it to zero: the customer sees what the period is worth and pays nothing for it.",
                    "Each period is one renewal: a month on a monthly plan, a year on a yearly one. The current period, already "
                            + "invoiced, is not changed (issue a credit note on its invoice for that).",
                    sub.billing().freePeriods() > 0 ? "Already " + sub.billing().freePeriods() + " free "
                            + (sub.billing().freePeriods() == 1 ? "period" : "periods") + " to come: these are added."
                            : "The first free renewal is on " + end + "."),
                    List.of(new AccountViews.Field("periods", "Free periods", "number", true, "1 to " + tollgate.subscriptions.FreePeriods.MAX),
                            new AccountViews.Field("reason", "Reason", "text", false, "Printed on the invoices")),
                    "Give free periods", false, back);
            default -> throw WebError.notFound();
        };
        if (!submitted) {
            Form initial = Form.empty().with("seats", String.valueOf(sub.seats()));
            if (action.equals("free")) initial = Form.empty().with("periods", "1");
            if (action.equals("plan")) initial = Form.empty();
            forms.show(console, ctx, req, spec.heading(), "accounts", spec, initial, 200);
            return;
        }
        forms.submit(console, ctx, req, spec.heading(), "accounts", spec, form -> {
            Map<String, Object> before = subscriptionFields(sub);
            Subscription after = switch (action) {
                case "cancel" -> subscriptions.update(req.tenant(), sub.id(), null, true);
                case "reactivate" -> subscriptions.update(req.tenant(), sub.id(), null, false);
                case "free" -> subscriptions.giveFreePeriods(req.tenant(), sub.id(), periods(form), form.optional("reason"));
                case "plan" -> {
                    if (form.value("plan").isBlank()) throw new ActionForms.Refused(form.reject("plan", "Choose the new plan."));
                    yield subscriptions.update(req.tenant(), sub.id(), form.value("plan").strip(), null, null, null);
                }
                default -> subscriptions.update(req.tenant(), sub.id(), seats(form), null);
            };
            String flash = switch (action) {
                case "cancel" -> "The subscription ends on " + end + ".";
                case "reactivate" -> "The subscription renews again.";
                case "free" -> "The next " + (after.billing().freePeriods() == 1 ? "renewal is" : after.billing().freePeriods() + " renewals are")
                        + " free, from " + end + ".";
                case "plan" -> after.pendingPlan() != null ? "The plan changes to " + planName(req.tenant(), after.pendingPlan()) + " on " + end + "."
                        : after.plan().equals(sub.plan()) ? "The plan stays " + planName(req.tenant(), sub.plan()) + "."
                        : "The plan is now " + planName(req.tenant(), after.plan()) + ".";
                // A decrease waits for the next period (pending_seats): until then the subscription keeps its seats.
                default -> after.pendingSeats() != null
                        ? "The seats go down to " + after.pendingSeats() + " on " + end + "; until then the subscription keeps its "
                        + after.seats() + "."
                        : "Seats changed to " + after.seats() + ".";
            };
            String audited = switch (action) {
                case "cancel" -> "cancel_scheduled";
                case "reactivate" -> "reactivated";
                case "free" -> "free_periods_given";
                case "plan" -> "plan_changed";
                default -> "seats_changed";
            };
            return new ActionForms.Done(back, flash, "subscription." + audited, "subscription", sub.id(), before, subscriptionFields(after));
        });
    }

    /**
     * The plan change's page (decision 052): the tenant's plans the subscription may move to — {@link PlanChange#refusal}
     * lets them through, the very rules the change itself applies — each saying when it takes effect, cheapest first. The
     * current plan is not offered, except to withdraw a pending change.
     */
    private ActionForms.Spec planSpec(Tenant tenant, Account a, Subscription sub, String end, String back) {
        Plan current = plans.get(tenant, sub.plan());
        Integer seats = sub.planType() == PlanType.SEATS ? sub.seats() : null;
        List<Plan> targets = allPlans(tenant).stream()
                .filter(p -> !p.id().equals(current.id()) && PlanChange.refusal(sub, current, p, null) == null)
                .sorted(java.util.Comparator.comparingLong((Plan p) -> PlanChange.perPeriod(p, seats)).thenComparing(Plan::name))
                .toList();
        List<Form.Option> options = new java.util.ArrayList<>();
        String pending = sub.pendingPlan() == null ? null : planName(tenant, sub.pendingPlan());
        if (pending != null) options.add(new Form.Option(current.id(), current.name() + " \u2014 stay on it, the move to " + pending + " withdrawn"));
        for (Plan p : targets) {
            String when = PlanChange.atOnce(sub, current, p, seats) ? "at once" : "from " + end;
            options.add(new Form.Option(p.id(), p.name() + " \u2014 " + CatalogPages.price(p) + " \u00b7 " + when
                    + (p.id().equals(sub.pendingPlan()) ? " (already chosen)" : "")));
        }
        List<String> consequences = new java.util.ArrayList<>(List.of(
                sub.isInTrial() ? "During the trial nothing has been billed: the plan changes at once, with nothing to prorate."
                        : "A dearer plan on the same billing interval takes effect at once, the difference prorated to " + end
                        + " on the next invoice; a cheaper one, or another interval, takes effect on " + end + ". Nothing is credited.",
                "Offered: the " + sub.planType().wire() + " plans in " + current.currency().toUpperCase(java.util.Locale.ROOT)
                        + (current.seatsFollowPortalUsers() ? " whose seats follow the portal users" : "")
                        + (sub.planType() == PlanType.SEATS ? "; the " + sub.seats() + " seats stay" : "") + "."));
        if (targets.isEmpty())
            consequences.add("There is no other such plan yet: create one in the Catalog first.");
        String now = "Now " + current.name() + ", " + CatalogPages.price(current)
                + (pending == null ? "" : "; moving to " + pending + " on " + end);
        return new ActionForms.Spec(a.name(), "Change the plan of " + current.name(), consequences,
                List.of(new AccountViews.Field("plan", "New plan", "select", true, now, options)), "Change plan", false, back);
    }

    /** Every plan of the tenant's catalog (a catalog is small; read a page of 100 at a time). */
    private List<Plan> allPlans(Tenant tenant) {
        List<Plan> all = new java.util.ArrayList<>();
        String after = null;
        while (true) {
            tollgate.core.Page<Plan> page = plans.list(tenant, new Paging(Paging.MAX_LIMIT, after));
            all.addAll(page.data());
            if (!page.hasMore() || page.data().isEmpty()) return all;
            after = page.data().get(page.data().size() - 1).id();
        }
    }

    private String planName(Tenant tenant, String planId) {
        try {
            return plans.get(tenant, planId).name();
        } catch (Problem p) {
            return planId;
        }
    }

    private static int seats(Form form) {
        String v = form.value("seats");
        if (!v.matches("\\d{1,6}") || Integer.parseInt(v) < 1)
            throw new ActionForms.Refused(form.reject("seats", "Enter a whole number of seats, 1 or more."));
        return Integer.parseInt(v);
    }

    private static int periods(Form form) {
        String v = form.value("periods");
        if (!v.matches("\\d{1,3}") || Integer.parseInt(v) < 1 || Integer.parseInt(v) > tollgate.subscriptions.FreePeriods.MAX)
            throw new ActionForms.Refused(form.reject("periods", "Enter a whole number from 1 to " + tollgate.subscriptions.FreePeriods.MAX + "."));
        return Integer.parseInt(v);
    }

    private static Map<String, Object> subscriptionFields(Subscription s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("plan", s.plan());
        m.put("free_periods", s.billing().freePeriods());
        m.put("status", s.status().wire());
        m.put("seats", s.seats());
        m.put("pending_seats", s.pendingSeats());
        m.put("pending_plan", s.pendingPlan());
        m.put("cancel_at_period_end", s.cancelAtPeriodEnd());
        return m;
    }
}

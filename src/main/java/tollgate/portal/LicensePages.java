package tollgate.portal;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tollgate.accounts.Account;
import tollgate.catalog.Plan;
import tollgate.catalog.PlanType;
import tollgate.catalog.Plans;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.licensing.Bundle;
import tollgate.licensing.License;
import tollgate.licensing.LicenseStatus;
import tollgate.licensing.Licensing;
import tollgate.web.Form;
import tollgate.web.Layout;
import tollgate.web.SeeOther;
import tollgate.web.WebError;

/**
 * The dashboard and the Licenses pages (decision 034): list by tab and search a page at a time, issue a license or a
 * bundle, assign, unassign and revoke after a confirmation. Every license id in a URL must be the signed-in account's
 * (else the 404 page); every POST has one effect however often it is sent.
 */
public final class LicensePages {
    static final int PAGE_SIZE = 50;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM d, yyyy", Locale.ENGLISH);

    /** The services these pages call, handed over by the wiring. */
    public record Services(Licensing licensing, Plans plans) {}

    private final Portal portal;
    private final Licensing licensing;
    private final Plans plans;

    LicensePages(Portal portal, Services services) {
        this.portal = portal;
        this.licensing = services.licensing();
        this.plans = services.plans();
    }

    void routes(tollgate.web.Web.Router router) {
        router.get("/portal/{slug}/dashboard", this::dashboard);
        router.get("/portal/{slug}/licenses", this::list);
        router.get("/portal/{slug}/licenses/issue", this::issueForm);
        router.post("/portal/{slug}/licenses/issue", this::issue);
        router.get("/portal/{slug}/licenses/new/{id}", this::newKeys);
        for (String verb : List.of("assign", "unassign", "revoke")) {
            router.get("/portal/{slug}/licenses/{id}/" + verb, ctx -> confirm(ctx, verb, Form.empty(), 200));
            router.post("/portal/{slug}/licenses/{id}/" + verb, ctx -> change(ctx, verb));
        }
    }

    // ---- dashboard and list ----

    private void dashboard(Context ctx) {
        PortalRequest req = portal.signedIn(ctx);
        Account account = req.account().orElseThrow();
        int page = pageParam(ctx);
        Licensing.AccountPage sites = licensing.accountPage(req.tenant(), account.id(), LicenseStatus.ASSIGNED, null, page, PAGE_SIZE);
        Map<LicenseStatus, Integer> counts = licensing.counts(req.tenant(), account.id());
        var user = req.user().orElseThrow();
        portal.pages.send(ctx, "portal/dashboard.jte", new LicenseViews.Dashboard(portal.layout(ctx, req, "Dashboard", "dashboard"),
                account.name(), counts.get(LicenseStatus.ASSIGNED), counts.get(LicenseStatus.UNASSIGNED), counts.get(LicenseStatus.REVOKED),
                rows(req, sites.licenses(), sites), pager(req.href("dashboard") + "?", page, sites.hasMore()), req.href("licenses"),
                req.href("licenses/issue"), sites.licenses().isEmpty() && page > 1 ? req.href("dashboard") : null, page,
                user.name(), user.role().wire(), user.email(), req.href("logout-everywhere")));
    }

    private static final List<String> TABS = List.of("all", "assigned", "unassigned", "revoked");

    private void list(Context ctx) {
        PortalRequest req = portal.signedIn(ctx);
        Account account = req.account().orElseThrow();
        String tab = Optional.ofNullable(ctx.queryParam("tab")).filter(TABS::contains).orElse("all");
        String q = Optional.ofNullable(ctx.queryParam("q")).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (q != null && q.length() > 200) q = q.substring(0, 200);
        int page = pageParam(ctx);
        LicenseStatus status = tab.equals("all") ? null : LicenseStatus.parse(tab);
        Licensing.AccountPage found = licensing.accountPage(req.tenant(), account.id(), status, q, page, PAGE_SIZE);
        Map<LicenseStatus, Integer> counts = licensing.counts(req.tenant(), account.id());
        String search = q == null ? "" : "&q=" + encode(q);
        List<LicenseViews.Link> tabs = new ArrayList<>();
        for (String t : TABS) {
            int count = t.equals("all") ? counts.values().stream().mapToInt(Integer::intValue).sum() : counts.get(LicenseStatus.parse(t));
            tabs.add(new LicenseViews.Link(t.equals("all") ? "All" : capitalized(t), req.href("licenses") + "?tab=" + t + search,
                    t.equals(tab), count));
        }
        String empty = q != null ? "No licenses match “" + q + "”." : switch (tab) {
            case "assigned" -> "No license is assigned to a site yet.";
            case "unassigned" -> "Every license is assigned to a site.";
            case "revoked" -> "No license has been revoked.";
            default -> "You have not issued a license yet.";
        };
        // Past the last page (an old link, a typed ?page=): say so rather than "none yet", and lead back to page 1.
        String firstPage = null;
        if (found.licenses().isEmpty() && page > 1) {
            empty = "There is nothing on page " + page + ".";
            firstPage = req.href("licenses") + "?tab=" + tab + search;
        }
        portal.pages.send(ctx, "portal/licenses.jte", new LicenseViews.Licenses(portal.layout(ctx, req, "Licenses", "licenses"),
                tabs, tab, q == null ? "" : q, req.href("licenses"), rows(req, found.licenses()),
                pager(req.href("licenses") + "?tab=" + tab + search + "&", page, found.hasMore()), req.href("licenses/issue"),
                empty, firstPage, portal.assets.script("licenses.js")));
    }

    // ---- issuing ----

    private void issueForm(Context ctx) {
        PortalRequest req = portal.signedIn(ctx);
        sendIssue(ctx, req, Form.empty().with("quantity", "1"), 200);
    }

    private void sendIssue(Context ctx, PortalRequest req, Form form, int status) {
        Account account = req.account().orElseThrow();
        List<Form.Option> options = licensePlans(req, account).stream()
                .map(p -> new Form.Option(p.id(), p.name() + " · " + Money.format(p.amount(), p.currency()) + " a month")).toList();
        Optional<String> refusal = licensing.issuingRefusal(req.tenant(), account.id());
        String title = null, why = null, fix = null, fixLabel = null;
        boolean manager = req.user().orElseThrow().managesUsers();
        if (refusal.isPresent() && !manager) {
            // A member sees nothing about billing (decision 086): not the card, not the invoice; only whom to ask.
            title = "You cannot issue licenses right now";
            why = "There is a problem with your account that an owner or admin must resolve"
                    + (refusal.get().equals("payment_method_required") ? "" : " (licenses already issued keep working)")
                    + ". Please ask an owner or admin of your account.";
        } else if (refusal.isPresent() && refusal.get().equals("payment_method_required")) {
            title = "Step 1: add a card";
            why = "Licenses are billed monthly to the card on file, so a card comes first. You will come back here to issue.";
            fix = req.href("payment-methods/new?return=licenses/issue");
            fixLabel = "Add a card";
        } else if (refusal.isPresent()) {
            title = "New licenses are blocked";
            why = "An invoice is past due, so you cannot issue new licenses until it is paid (licenses already issued keep working).";
            fix = req.href("invoices");
            fixLabel = "Pay the invoice";
        }
        portal.pages.send(ctx, status, "portal/license-issue.jte", new LicenseViews.Issue(portal.layout(ctx, req, "Issue licenses", "licenses"),
                form, options, tollgate.web.FormTokens.newToken(), req.href("licenses/issue"), title, why, fix, fixLabel,
                req.href("licenses")));
    }

    private void issue(Context ctx) {
        PortalRequest req = portal.signedIn(ctx);
        Account account = req.account().orElseThrow();
        Form form = Form.posted(ctx, "plan", "quantity", "token");
        form.require("plan", "Choose a plan");
        Integer quantity = null;
        try {
            quantity = Integer.valueOf(form.value("quantity"));
            if (quantity < 1 || quantity > 1000) form.reject("quantity", "Choose between 1 and 1,000 licenses");
        } catch (NumberFormatException e) {
            form.reject("quantity", "Enter a number of licenses, e.g. 1 or 3");
        }
        if (!tollgate.web.FormTokens.wellFormed(form.value("token"))) form.reject("plan", "The form expired; please try again");
        if (!form.valid()) {
            sendIssue(ctx, req, form, 422);
            return;
        }
        int n = quantity;
        String result;
        try {
            // The first send of this form issues; a second (double click, reload, another node) waits for it and gets its
            // answer (decision 040). A refusal frees the token, so the corrected form can be sent again.
            result = portal.formTokens.once(req.session(), form.value("token"), () -> n == 1
                    ? req.href("licenses/new/" + licensing.issue(req.tenant(), account.id(), form.value("plan"), 1).get(0).id())
                    : req.href("licenses/new/" + licensing.issueBundle(req.tenant(), account.id(), form.value("plan"), n).id()))
                    .orElse(req.href("licenses"));
        } catch (Problem p) {
            form.reject("quantity".equals(p.field()) || "size".equals(p.field()) ? "quantity" : "plan",
                    refusalText(p, req.user().orElseThrow().managesUsers()));
            sendIssue(ctx, req, form, 422);
            return;
        }
        throw new SeeOther(result);
    }

    private static String refusalText(Problem p, boolean manager) {
        if (!manager && (p.code().equals("payment_method_required") || p.code().equals("licenses_blocked")))
            return "An owner or admin of your account must resolve a problem with the account first";
        return switch (p.code()) {
            case "payment_method_required" -> "Add a card before you issue licenses";
            case "licenses_blocked" -> "New licenses are blocked until the past-due invoice is paid";
            case "resource_missing" -> "Choose one of the plans in the list";
            default -> p.detail();
        };
    }

    private void newKeys(Context ctx) {
        PortalRequest req = portal.signedIn(ctx);
        String id = ctx.pathParam("id");
        String account = req.account().orElseThrow().id();
        List<License> licenses;
        String bundle = null;
        try {
            if (id.startsWith("bndl_")) {
                Bundle b = licensing.getBundle(req.tenant(), id);
                if (!b.account().equals(account)) throw WebError.notFound();
                licenses = b.licenses().stream().filter(l -> !l.isRevoked()).toList();
                bundle = id;
            } else {
                licenses = List.of(owned(req, id));
            }
        } catch (Problem p) {
            throw WebError.notFound();
        }
        String heading = licenses.size() == 1 ? "Your new license is ready" : "Your " + licenses.size() + " new licenses are ready";
        portal.pages.send(ctx, "portal/license-issued.jte", new LicenseViews.Issued(portal.layout(ctx, req, heading, "licenses"),
                heading, bundle, rows(req, licenses), req.href("licenses?tab=unassigned"), portal.assets.script("licenses.js")));
    }

    // ---- assign, unassign, revoke ----

    private void confirm(Context ctx, String verb, Form form, int status) {
        PortalRequest req = portal.signedIn(ctx);
        License license = owned(req, ctx.pathParam("id"));
        LicenseViews.Row row = row(req, license, planNames(req));
        String suffix = "…" + license.keySuffix();
        List<String> next = new ArrayList<>();
        String heading, button;
        switch (verb) {
            case "assign" -> {
                heading = "Assign license " + suffix + " to a site";
                button = "Assign license";
                next.add("The site you enter is licensed with this key from now on; one license covers one site.");
                next.add("You are billed for this license whether it is assigned or not.");
            }
            case "unassign" -> {
                heading = "Unassign license " + suffix + "?";
                button = "Unassign license";
                next.add("The license is removed from " + license.siteUrl() + ", which stops being licensed.");
                next.add("The license stays active and billed: you can assign it to another site.");
            }
            default -> {
                heading = "Revoke license " + suffix + "?";
                button = "Revoke license";
                next.add(license.siteUrl() == null ? "The key stops working at once and cannot be used again."
                        : "The key stops working on " + license.siteUrl() + " at once and cannot be used again.");
                next.add(license.bundle() == null ? "You will no longer be billed for it from today."
                        : "It belongs to a bundle: a new unassigned license replaces it, so the bundle keeps its size and its price.");
            }
        }
        if (license.isRevoked()) throw new WebError(409, "License revoked", "This license was revoked; a revoked license cannot change.");
        {
            portal.pages.send(ctx, status, "portal/license-confirm.jte", new LicenseViews.Confirm(portal.layout(ctx, req, heading, "licenses"),
                    verb, heading, row, next, form, verb.equals("assign"), req.href("licenses/" + license.id() + "/" + verb), button,
                    verb.equals("revoke"), req.href("licenses")));
        }
    }

    private void change(Context ctx, String verb) {
        PortalRequest req = portal.signedIn(ctx);
        License license = owned(req, ctx.pathParam("id"));
        String suffix = "…" + license.keySuffix();
        String message;
        Form form = Form.posted(ctx, "site_url");
        try {
            switch (verb) {
                case "assign" -> {
                    if (form.value("site_url").isEmpty()) {
                        form.reject("site_url", "Enter the site's address, e.g. https://example.com");
                        confirm(ctx, verb, form, 422);
                        return;
                    }
                    License after = licensing.assignAsAccount(req.tenant(), license.id(), form.value("site_url"));
                    message = "License " + suffix + " is assigned to " + after.siteUrl() + ".";
                }
                case "unassign" -> {
                    licensing.unassign(req.tenant(), license.id());
                    message = "License " + suffix + " is unassigned; you can assign it to another site.";
                }
                default -> {
                    licensing.revoke(req.tenant(), license.id());
                    message = "License " + suffix + " is revoked." + (license.bundle() == null ? ""
                            : " Its bundle refilled: a new unassigned license is under Unassigned.");
                }
            }
        } catch (Problem p) {
            License now = licensing.get(req.tenant(), license.id());
            // A second submit of the same confirmation finds its work done: answer as the first did.
            boolean done = switch (verb) {
                case "assign" -> p.code().equals("license_already_assigned") && now.siteUrl() != null
                        && now.siteUrl().equals(normalSite(form.value("site_url")));
                case "unassign" -> p.code().equals("license_not_assigned");
                default -> p.code().equals("license_revoked");
            };
            if (verb.equals("assign") && !done) {
                form.reject("site_url", p.detail());
                confirm(ctx, verb, form, 422);
                return;
            }
            if (!done) throw new WebError(409, "Not changed", p.detail());
            message = verb.equals("revoke") ? "License " + suffix + " is revoked." : "License " + suffix + " is " + verb + "ed.";
        }
        portal.flashes.add(ctx, Layout.Flash.Kind.SUCCESS, message, req.base());
        throw new SeeOther(req.href(verb.equals("revoke") ? "licenses?tab=revoked" : "licenses"));
    }

    private static String normalSite(String typed) {
        try {
            return tollgate.licensing.SiteUrl.normalize("site_url", typed);
        } catch (Problem p) {
            return null;
        }
    }

    /** The license if it is the signed-in account's; another account's (or no) license is the 404 page. */
    private License owned(PortalRequest req, String id) {
        try {
            License l = licensing.get(req.tenant(), id);
            if (!l.account().equals(req.account().orElseThrow().id())) throw WebError.notFound();
            return l;
        } catch (Problem p) {
            throw WebError.notFound();
        }
    }

    // ---- rows ----

    private List<Plan> licensePlans(PortalRequest req, Account account) {
        return plans.list(req.tenant(), new Paging(Paging.MAX_LIMIT, null)).data().stream()
                .filter(p -> p.type() == PlanType.LICENSE && p.currency().equals(account.currency())).toList();
    }

    private Map<String, String> planNames(PortalRequest req) {
        Map<String, String> names = new HashMap<>();
        for (Plan p : plans.list(req.tenant(), new Paging(Paging.MAX_LIMIT, null)).data()) names.put(p.id(), p.name());
        return names;
    }

    private List<LicenseViews.Row> rows(PortalRequest req, List<License> licenses) {
        return rows(req, licenses, null);
    }

    /** With {@code checks}, each row says when its site last checked the key (the dashboard, decision 047). */
    private List<LicenseViews.Row> rows(PortalRequest req, List<License> licenses, Licensing.AccountPage checks) {
        Map<String, String> names = licenses.isEmpty() ? Map.of() : planNames(req);
        ZoneId zone = ZoneId.of(req.account().orElseThrow().timezone());
        return licenses.stream().map(l -> row(req, l, names, checks == null ? null
                : lastCheck(checks.lastChecked().get(l.id()), checks.asOf(), zone))).toList();
    }

    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("MMM d, yyyy, HH:mm zzz", Locale.ENGLISH);

    /**
     * "never", "less than an hour ago", "2 hours ago", "3 days ago" counted from the tenant's {@code now}, and the exact
     * time in the account's zone. The time is written at most once an hour (decision 047), so nothing finer is claimed.
     */
    static LicenseViews.Check lastCheck(Instant at, Instant now, ZoneId zone) {
        if (at == null) return new LicenseViews.Check("never", "No check recorded yet");
        long hours = Math.max(0, java.time.Duration.between(at, now).toHours());
        String label = hours < 1 ? "less than an hour ago" : hours < 48 ? hours + (hours == 1 ? " hour ago" : " hours ago")
                : (hours / 24) + " days ago";
        return new LicenseViews.Check(label, EXACT.format(at.atZone(zone)));
    }

    private LicenseViews.Row row(PortalRequest req, License l, Map<String, String> planNames) {
        return row(req, l, planNames, null);
    }

    private LicenseViews.Row row(PortalRequest req, License l, Map<String, String> planNames, LicenseViews.Check check) {
        ZoneId zone = ZoneId.of(req.account().orElseThrow().timezone());
        String base = "licenses/" + l.id() + "/";
        boolean live = !l.isRevoked();
        return new LicenseViews.Row(l.id(), live ? l.key() : null, l.keySuffix(), planNames.getOrDefault(l.plan(), l.plan()),
                l.status().wire(), capitalized(l.status().wire()), l.siteUrl(), day(l.issuedAt(), zone), day(l.revokedAt(), zone), l.bundle(),
                l.status() == LicenseStatus.UNASSIGNED ? req.href(base + "assign") : null,
                l.status() == LicenseStatus.ASSIGNED ? req.href(base + "unassign") : null, live ? req.href(base + "revoke") : null, check);
    }

    private static String day(Instant at, ZoneId zone) {
        return at == null ? null : DAY.format(at.atZone(zone));
    }

    private static int pageParam(Context ctx) {
        try {
            return Math.max(1, Math.min(100_000, Integer.parseInt(Optional.ofNullable(ctx.queryParam("page")).orElse("1"))));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static LicenseViews.Pager pager(String prefix, int page, boolean more) {
        return new LicenseViews.Pager(page > 1 ? prefix + "page=" + (page - 1) : null, more ? prefix + "page=" + (page + 1) : null, page);
    }

    private static String capitalized(String s) {
        return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Plan prices as people read them. */
    static final class Money {
        static String format(Long minor, String currency) {
            if (minor == null) return "";
            java.util.Currency c = java.util.Currency.getInstance(currency.toUpperCase(Locale.ROOT));
            int digits = Math.max(0, c.getDefaultFractionDigits());
            return c.getSymbol(Locale.US) + java.math.BigDecimal.valueOf(minor, digits).toPlainString();
        }
    }
}

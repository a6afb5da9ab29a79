package tollgate.portal;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tollgate.accounts.Account;
import tollgate.accounts.Accounts;
import tollgate.accounts.PortalUser;
import tollgate.accounts.PortalUsers;
import tollgate.tenants.Tenant;
import tollgate.tenants.Tenants;
import tollgate.web.Assets;
import tollgate.web.Csrf;
import tollgate.web.ErrorView;
import tollgate.web.Flashes;
import tollgate.web.Layout;
import tollgate.web.LoginThrottle;
import tollgate.web.Pages;
import tollgate.web.SeeOther;
import tollgate.web.Web;
import tollgate.web.WebError;
import tollgate.web.WebSession;
import tollgate.web.WebSessions;

/**
 * The customer portal at /portal/{slug}/: resolves the tenant and the signed-in user of each request, draws the
 * layout around pages, and registers the pages. Sign-up, log-in and log-out are in {@link SigningIn}; further pages
 * add their routes in {@link #routes} and build their view models from services here in portal/.
 */
public final class Portal implements Web.Section {
    final Tenants tenants;
    final Accounts accounts;
    final PortalUsers users;
    final WebSessions sessions;
    final Csrf csrf;
    final Flashes flashes;
    final LoginThrottle throttle;
    final Pages pages;
    final Assets assets;
    private LicensePages.Services licenseServices;

    private UserPages userPages;
    private LinkPages linkPages;

    /** The Users pages and the single-use links (decision 037), wired by Tollgate before the routes are registered. */
    public void withUsers(tollgate.accounts.PortalLinks links, tollgate.web.Cookies cookies) {
        this.userPages = new UserPages(this, links);
        this.linkPages = new LinkPages(this, links, cookies);
        this.links = links;
    }

    tollgate.accounts.PortalLinks links;

    /** Clears the seller's return link of a portal session at log-out. */
    void forgetReturn(Context ctx, String base) {
        if (linkPages != null) linkPages.forgetReturn(ctx, base);
    }

    /** Single-use form tokens shared by every node (decision 040); the wiring sets them before the routes are made. */
    tollgate.web.FormTokens formTokens;

    public Portal withFormTokens(tollgate.web.FormTokens tokens) {
        this.formTokens = tokens;
        return this;
    }

    /** The page of an invitation, reset, verification or portal-session link that is unknown, used or expired. */
    static WebError linkGone() {
        return new WebError(410, "This link no longer works", "It has expired or was already used. Ask for a new one: "
                + "an invitation from the person who invited you, a password reset from the log-in page.");
    }

    /** Payment methods, invoices and the unpaid notice (decision 035); null on a server wired without them. */
    private PaymentPages payments;

    public Portal(Tenants tenants, Accounts accounts, PortalUsers users, WebSessions sessions, Csrf csrf, Flashes flashes,
                  LoginThrottle throttle, Pages pages, Assets assets) {
        this.tenants = tenants;
        this.accounts = accounts;
        this.users = users;
        this.sessions = sessions;
        this.csrf = csrf;
        this.flashes = flashes;
        this.throttle = throttle;
        this.pages = pages;
        this.assets = assets;
    }

    /** The services of the dashboard and Licenses pages (the wiring sets them before the routes are made). */
    public Portal withLicenses(LicensePages.Services services) {
        this.licenseServices = services;
        return this;
    }

    /** Adds the payment pages and the unpaid notice on every page. */
    public Portal withPayments(PaymentPages payments) {
        this.payments = payments;
        return this;
    }

    @Override
    public void routes(Web.Router router) {
        router.guardedBy(ctx -> {
            PortalRequest req = request(ctx);
            if (req.readOnly() && !ctx.path().equals(req.href("stop-viewing"))) throw readOnly();
            return csrf.valid(ctx, req.session());
        }, this::errorPage);
        SigningIn signing = new SigningIn(this);
        router.get("/portal/{slug}", ctx -> {
            throw new SeeOther(request(ctx).href(request(ctx).signedIn() ? "dashboard" : "login"));
        });
        router.get("/portal/{slug}/signup", signing::signUpForm);
        router.post("/portal/{slug}/signup", signing::signUp);
        router.get("/portal/{slug}/login", signing::loginForm);
        router.post("/portal/{slug}/login", signing::login);
        router.post("/portal/{slug}/logout", signing::logout);
        router.post("/portal/{slug}/logout-everywhere", signing::logoutEverywhere);
        router.post("/portal/{slug}/stop-viewing", ctx -> {
            PortalRequest req = request(ctx);
            if (!req.readOnly() || viewingAs == null) throw WebError.notFound();
            viewingAs.stop(ctx, req.slug());
            throw new SeeOther("/console/accounts/" + req.account().map(Account::id).orElse(""));
        });
        new LicensePages(this, licenseServices).routes(router);
        if (userPages != null) userPages.routes(router);
        if (linkPages != null) linkPages.routes(router);
        if (billing != null) new BillingPages(this, billing).routes(router);
        if (payments != null) payments.routes(this, router);
        // Last: any other address under a portal is the portal's own 404 page, not the API's problem JSON.
        router.get("/portal/{slug}/<rest>", ctx -> {
            request(ctx);
            throw WebError.notFound();
        });
    }

    private BillingPages.Services billing;

    /** Staff viewing as the customer (decision 049); null on a server wired without the console. */
    private ViewingAs viewingAs;

    public Portal withViewing(ViewingAs viewingAs) {
        this.viewingAs = viewingAs;
        return this;
    }

    private static WebError readOnly() {
        return new WebError(403, "Read only", "You are viewing this portal as the customer sees it: nothing can be changed from here.");
    }

    /** The path of the tenant's logo, shown in the header instead of its initial (decision 041's branding). */
    private java.util.function.Function<String, Optional<String>> logo = tenantId -> Optional.empty();

    public Portal withLogo(java.util.function.Function<String, Optional<String>> logo) {
        this.logo = logo;
        return this;
    }

    /** The services of the Billing and Company details pages (decision 036); Tollgate gives them before routes are added. */
    public Portal billing(tollgate.subscriptions.Subscriptions subscriptions, tollgate.catalog.Plans plans,
                          tollgate.invoicing.Invoices invoices, tollgate.billing.BillingPreview preview, tollgate.dunning.Dunning dunning) {
        this.billing = new BillingPages.Services(subscriptions, plans, invoices, preview, dunning);
        return this;
    }

    /** The request's tenant (404 page for an unknown slug) and, if signed in, its user and account. Memoised per request. */
    PortalRequest request(Context ctx) {
        PortalRequest cached = ctx.attribute("portal.request");
        if (cached != null) return cached;
        String slug = ctx.pathParam("slug");
        Tenant tenant = tenants.bySlug(slug).orElseThrow(WebError::notFound);
        // Staff viewing as the customer (decision 049) first: that browser sees the portal read only.
        Optional<WebSession> viewing = viewingAs == null ? Optional.empty() : viewingAs.current(ctx, tenant.id());
        Optional<WebSession> session = viewing.isPresent() ? viewing : sessions.current(ctx, tenant.id());
        Optional<PortalUser> user = session.flatMap(s -> users.get(tenant, s.userId())).filter(PortalUser::active);
        if (user.isEmpty()) session = Optional.empty();
        Optional<Account> account = user.map(u -> accounts.get(tenant, u.accountId()));
        PortalRequest req = new PortalRequest(tenant, slug, session, user, account, viewing.isPresent() && user.isPresent());
        ctx.attribute("portal.request", req);
        ctx.attribute(tollgate.web.Web.TENANT, tenant);
        return req;
    }

    /** The request of a page that needs a signed-in user; others are sent to the login page. */
    PortalRequest signedIn(Context ctx) {
        PortalRequest req = request(ctx);
        if (!req.signedIn()) throw new SeeOther(req.href("login"));
        return req;
    }

    /** A menu entry: its label, its page under the portal's base, and whether only owners and admins (manage_users) see it. */
    record NavEntry(String label, String page, boolean managersOnly) {}

    /** The menu, in order: a new page adds its line here. */
    static final List<NavEntry> NAV = List.of(
            new NavEntry("Dashboard", "dashboard", false),
            new NavEntry("Licenses", "licenses", false),
            new NavEntry("Billing", "billing", true),
            new NavEntry("Payment methods", "payment-methods", true),
            new NavEntry("Invoices", "invoices", true),
            new NavEntry("Company details", "company", true),
            new NavEntry("Users", "users", true));

    Layout layout(Context ctx, PortalRequest req, String title, String current) {
        List<Layout.NavItem> nav = new ArrayList<>();
        if (req.signedIn()) {
            boolean manager = req.user().get().managesUsers();
            for (NavEntry n : NAV)
                if (!n.managersOnly() || manager) nav.add(new Layout.NavItem(n.label(), req.href(n.page()), n.page().equals(current)));
            String back = LinkPages.returnUrl(ctx);
            if (back != null) nav.add(new Layout.NavItem("Return to " + req.tenant().name(), back, false));
        }
        Layout.Mode mode = !req.readOnly() ? null : new Layout.Mode("Read only", "Viewing as " + req.account().map(Account::name).orElse("")
                + " — read only. You see what " + req.user().map(PortalUser::email).orElse("the customer") + " sees; nothing can be changed.",
                new Layout.NavItem("Stop viewing", req.href("stop-viewing"), false), true);
        return new Layout(title, req.tenant().name(), req.href(req.signedIn() ? "dashboard" : "login"),
                req.account().map(Account::name).orElse(null), req.user().map(PortalUser::name).orElse(null), nav,
                flashes.take(ctx, req.base()), payments == null ? null : payments.banner(req), csrf.token(ctx, req.session(), req.base()), req.href("logout"), assets,
                mode, logo.apply(req.tenant().id()).orElse(null));
    }

    void errorPage(Context ctx, WebError e) {
        PortalRequest req;
        try {
            req = request(ctx);
        } catch (WebError unknownTenant) {
            Layout bare = new Layout(e.heading(), "Tollgate", "/", null, null, List.of(), List.of(), null, "", null, assets);
            pages.send(ctx, e.status(), "web/error.jte", new ErrorView(bare, e.status(), e.heading(), e.getMessage(), null));
            return;
        }
        pages.send(ctx, e.status(), "web/error.jte", new ErrorView(layout(ctx, req, e.heading(), ""), e.status(), e.heading(),
                e.getMessage(), req.href(req.signedIn() ? "dashboard" : "login")));
    }
}

package tollgate.console;

import io.javalin.http.Context;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import tollgate.audit.Audit;
import tollgate.audit.AuditEntry;
import tollgate.staff.Staff;
import tollgate.staff.StaffMember;
import tollgate.staff.StaffRole;
import tollgate.tenants.Tenant;
import tollgate.tenants.Tenants;
import tollgate.timeline.TestClock;
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
 * The operator console at /console/ (issue 14, decision 041): the seller's staff sign in (password, then a TOTP code
 * when they enrolled one) and run the business. Resolves the signed-in member and their tenant of each request, draws
 * the layout (menu by role, the TEST MODE strip on test tenants) and registers the pages of every {@link ConsolePages}
 * the wiring {@linkplain #add added}.
 */
public final class Console implements Web.Section {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    final Tenants tenants;
    final Staff staff;
    final Audit audit;
    final tollgate.staff.TwoFactor twoFactor;
    final TestClock testClock;
    final WebSessions sessions;
    /** Signed in by password, waiting for the two-factor code: a session of its own audience and cookie. */
    final WebSessions pending;
    final Csrf csrf;
    final Flashes flashes;
    final LoginThrottle throttle;
    final Pages pages;
    final Assets assets;
    private final List<ConsolePages> groups = new ArrayList<>();

    public Console(Tenants tenants, Staff staff, tollgate.staff.TwoFactor twoFactor, Audit audit, TestClock testClock, WebSessions sessions, WebSessions pending,
                   Csrf csrf, Flashes flashes, LoginThrottle throttle, Pages pages, Assets assets) {
        this.tenants = tenants;
        this.staff = staff;
        this.audit = audit;
        this.twoFactor = twoFactor;
        this.testClock = testClock;
        this.sessions = sessions;
        this.pending = pending;
        this.csrf = csrf;
        this.flashes = flashes;
        this.throttle = throttle;
        this.pages = pages;
        this.assets = assets;
    }

    /** Adds a group of pages (the wiring calls this before the routes are registered). */
    public Console add(ConsolePages group) {
        groups.add(group);
        return this;
    }

    @Override
    public void routes(Web.Router router) {
        router.guardedBy(ctx -> csrf.valid(ctx, sessionForCsrf(ctx)), this::errorPage);
        router.get("/console", ctx -> {
            throw new SeeOther(ConsoleRequest.href(request(ctx).signedIn() ? "home" : "login"));
        });
        router.get("/console/", ctx -> {
            throw new SeeOther(ConsoleRequest.href(request(ctx).signedIn() ? "home" : "login"));
        });
        new StaffSignIn(this).routes(router);
        // /console/home is HomePages' (decision 046), added by the wiring like every other group.
        for (ConsolePages g : groups) g.routes(this, router);
        // Last: any other address under /console/ is the console's own 404 page, not the API's problem JSON.
        router.get("/console/<rest>", ctx -> {
            throw WebError.notFound();
        });
    }

    /** A POST before sign-in (the password and code forms) carries the anonymous token; after, the session's. */
    private Optional<WebSession> sessionForCsrf(Context ctx) {
        return request(ctx).session();
    }

    /** The request's member and tenant, if a live session of an active member says so. Memoised per request. */
    public ConsoleRequest request(Context ctx) {
        ConsoleRequest cached = ctx.attribute("console.request");
        if (cached != null) return cached;
        Optional<WebSession> session = sessions.current(ctx);
        String userId = session.map(WebSession::userId).orElse(null);
        Optional<Tenant> tenant = session.map(s -> tenants.get(s.tenantId()));
        Optional<StaffMember> member = tenant.flatMap(t -> staff.get(t, userId)).filter(StaffMember::active);
        if (member.isEmpty()) {
            session = Optional.empty();
            tenant = Optional.empty();
        }
        ConsoleRequest req = new ConsoleRequest(tenant, session, member);
        ctx.attribute("console.request", req);
        tenant.ifPresent(t -> ctx.attribute(tollgate.web.Web.TENANT, t));
        return req;
    }

    /** The request of a page that needs a signed-in member; others are sent to the sign-in page. */
    public ConsoleRequest signedIn(Context ctx) {
        ConsoleRequest req = request(ctx);
        if (!req.signedIn()) throw new SeeOther(ConsoleRequest.href("login"));
        return req;
    }

    /** A menu entry: its label, its page under /console/, and which roles see it. */
    record NavEntry(String label, String page, Predicate<StaffRole> shownTo) {}

    /** The menu, in order. Pages a role may not open are not shown to it (and answer 403 if typed in). */
    static final List<NavEntry> NAV = List.of(
            new NavEntry("Home", "home", r -> true),
            new NavEntry("Accounts", "accounts", r -> true),
            new NavEntry("Invoices", "invoices", r -> true),
            new NavEntry("Dunning", "dunning", r -> true),
            new NavEntry("Catalog", "catalog", r -> true),
            new NavEntry("Settings", "settings", StaffRole::changesSettings),
            new NavEntry("Audit log", "audit", StaffRole::changesSettings));

    /** The layout around a console page; {@code current} is the menu entry's page ("home", "accounts", …). */
    public Layout layout(Context ctx, ConsoleRequest req, String title, String current) {
        List<Layout.NavItem> nav = new ArrayList<>();
        Layout.Mode mode = null;
        String brand = "Tollgate console";
        if (req.signedIn()) {
            for (NavEntry n : NAV)
                if (n.shownTo().test(req.role()))
                    nav.add(new Layout.NavItem(n.label(), ConsoleRequest.href(n.page()), current.startsWith(n.page())));
            brand = req.tenant().name();
            if (req.tenant().isTest()) mode = new Layout.Mode("Test mode", "Test data only: no real charges or emails. Test clock: "
                    + CLOCK.format(testClock.now(req.tenant())) + ".", req.canChangeSettings()
                    ? new Layout.NavItem("Test clock", ConsoleRequest.href("test-clock"), false) : null);
        }
        Optional<WebSession> session = req.session();
        return new Layout(title, brand, ConsoleRequest.href(req.signedIn() ? "home" : "login"),
                req.signedIn() ? req.staff().name() : null,
                req.signedIn() ? req.staff().email() : null, nav, flashes.take(ctx, ConsoleRequest.BASE), null,
                csrf.token(ctx, session, ConsoleRequest.BASE), ConsoleRequest.href("logout"), assets, mode, null);
    }

    /** A message for the next page (after the 303 that follows a POST). */
    public void flash(Context ctx, Layout.Flash.Kind kind, String message) {
        flashes.add(ctx, kind, message, ConsoleRequest.BASE);
    }

    /** Renders a console page (the template under src/main/jte/console/ takes {@code view}). */
    public void render(Context ctx, int status, String template, Object view) {
        pages.send(ctx, status, template, view);
    }

    /**
     * Records a staff action in the audit log (decision 041): call it once per change, after the change succeeded,
     * with the object's relevant fields before and after (null where there is nothing to say).
     */
    public AuditEntry audit(ConsoleRequest req, String action, String objectType, String objectId, Map<String, ?> before,
                            Map<String, ?> after) {
        return audit.record(req.tenant(), req.actor(), action, objectType, objectId, before, after);
    }

    void errorPage(Context ctx, WebError e) {
        ConsoleRequest req = request(ctx);
        pages.send(ctx, e.status(), "web/error.jte", new ErrorView(layout(ctx, req, e.heading(), ""), e.status(), e.heading(),
                e.getMessage(), ConsoleRequest.href(req.signedIn() ? "home" : "login")));
    }
}

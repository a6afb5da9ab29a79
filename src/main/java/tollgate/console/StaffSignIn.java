package tollgate.console;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tollgate.audit.AuditEntry;
import tollgate.staff.StaffMember;
import tollgate.tenants.Tenant;
import tollgate.web.Form;
import tollgate.web.Layout;
import tollgate.web.Passwords;
import tollgate.web.SeeOther;
import tollgate.web.Web;

/**
 * The console's way in and out (decision 041): workspace, email and password; then, for a member who enrolled two-
 * factor sign-in, a code from their authenticator app (or a recovery code) before the session begins. The same
 * throttling, enumeration answer and session rules as the portal's (decision 033). Each way in, each refusal of a member
 * the workspace knows, and each way out is in the audit log with the browser's address (decision 063).
 */
final class StaffSignIn {
    private static final Logger log = LoggerFactory.getLogger(StaffSignIn.class);
    /** The answer to a wrong password and to an unknown workspace, address or deactivated member alike. */
    static final String WRONG = "The workspace, email or password is incorrect.";
    private final Console console;

    StaffSignIn(Console console) {
        this.console = console;
    }

    void routes(Web.Router router) {
        router.get("/console/login", this::loginForm);
        router.post("/console/login", this::login);
        router.get("/console/login/code", this::codeForm);
        router.post("/console/login/code", this::code);
        router.post("/console/logout", this::logout);
    }

    /** The member who passed the password step and owes a code, from the pending session; else back to the password. */
    private StaffMember pendingMember(Context ctx) {
        return console.pending.current(ctx).flatMap(s -> console.staff.get(console.tenants.get(s.tenantId()), s.userId()))
                .filter(StaffMember::active).filter(StaffMember::totpEnabled)
                .orElseThrow(() -> new SeeOther(ConsoleRequest.href("login")));
    }

    void codeForm(Context ctx) {
        ConsoleRequest req = console.request(ctx);
        pendingMember(ctx);
        showCode(ctx, req, 200, Form.empty(), null);
    }

    void code(Context ctx) {
        ConsoleRequest req = console.request(ctx);
        StaffMember m = pendingMember(ctx);
        Form form = Form.posted(ctx, "code");
        String scope = "console-2fa";
        Duration wait = console.throttle.wait(scope, m.id(), console.throttle.address(ctx));
        if (!wait.isZero()) {
            long minutes = Math.max(1, (wait.toSeconds() + 59) / 60);
            showCode(ctx, req, 429, form.forget("code"), "Too many wrong codes. Try again in " + minutes + (minutes == 1 ? " minute." : " minutes."));
            return;
        }
        Tenant tenant = console.tenants.get(m.tenantId());
        if (!console.twoFactor.verify(tenant, m, form.value("code"))) {
            console.throttle.failed(scope, m.id(), console.throttle.address(ctx));
            auditRefusal(tenant, m, ctx, "wrong_code");
            showCode(ctx, req, 422, form.forget("code"), "That code is not right, or was used already. Type the code your app shows now.");
            return;
        }
        console.throttle.succeeded(scope, m.id());
        console.pending.signOut(ctx, ConsoleRequest.BASE);
        console.sessions.signIn(ctx, m.tenantId(), m.id(), ConsoleRequest.BASE);
        audit(tenant, m, "staff.signed_in", console.throttle.address(ctx), "two_factor", true);
        throw new SeeOther(ConsoleRequest.href("home"));
    }

    private void showCode(Context ctx, ConsoleRequest req, int status, Form form, String error) {
        console.render(ctx, status, "console/login-code.jte", new ConsoleViews.Code(console.layout(ctx, req, "Two-factor code", ""),
                form, error, ConsoleRequest.href("login/code"), ConsoleRequest.href("login")));
    }

    void loginForm(Context ctx) {
        ConsoleRequest req = console.request(ctx);
        if (req.signedIn()) throw new SeeOther(ConsoleRequest.href("home"));
        String workspace = ctx.queryParam("workspace");
        showLogin(ctx, req, 200, Form.empty().with("workspace", workspace == null ? "" : workspace.strip()), null);
    }

    void login(Context ctx) {
        ConsoleRequest req = console.request(ctx);
        Form form = Form.posted(ctx, "workspace", "email", "password").forget("password");
        String password = ctx.formParam("password") == null ? "" : ctx.formParam("password");
        String workspace = form.value("workspace").toLowerCase(java.util.Locale.ROOT);
        String who = workspace + "|" + StaffMember.emailKey(form.value("email"));
        String scope = "console";
        Duration wait = console.throttle.wait(scope, who, console.throttle.address(ctx));
        if (!wait.isZero()) {
            long minutes = Math.max(1, (wait.toSeconds() + 59) / 60);
            showLogin(ctx, req, 429, form, "Too many failed attempts. Try again in " + minutes + (minutes == 1 ? " minute." : " minutes."));
            return;
        }
        Optional<Tenant> tenant = workspace.isEmpty() || workspace.length() > 60 ? Optional.empty() : console.tenants.byWorkspace(workspace);
        Optional<StaffMember> member = tenant.flatMap(t -> console.staff.byEmail(t, form.value("email")));
        // The hash is checked even for an unknown workspace or address (against a decoy), so every refusal takes as long.
        boolean matches = Passwords.verify(password, member.map(StaffMember::passwordHash).orElse(null));
        if (!matches || !member.get().active()) {
            console.throttle.failed(scope, who, console.throttle.address(ctx));
            // A member the workspace knows: the owners see the attempt (the caller sees the same words whatever failed).
            if (member.isPresent())
                auditRefusal(tenant.get(), member.get(), ctx, matches ? "deactivated" : "wrong_password");
            showLogin(ctx, req, 422, form, WRONG);
            return;
        }
        console.throttle.succeeded(scope, who);
        StaffMember m = member.get();
        if (m.totpEnabled()) {
            console.pending.signIn(ctx, m.tenantId(), m.id(), ConsoleRequest.BASE);
            throw new SeeOther(ConsoleRequest.href("login/code"));
        }
        console.sessions.signIn(ctx, m.tenantId(), m.id(), ConsoleRequest.BASE);
        audit(tenant.get(), m, "staff.signed_in", console.throttle.address(ctx), "two_factor", false);
        throw new SeeOther(ConsoleRequest.href("home"));
    }

    void logout(Context ctx) {
        ConsoleRequest req = console.request(ctx);
        console.sessions.signOut(ctx, ConsoleRequest.BASE);
        if (req.signedIn()) audit(req.tenant(), req.staff(), "staff.signed_out", console.throttle.address(ctx), null, null);
        console.flash(ctx, Layout.Flash.Kind.INFO, "You have logged out.");
        throw new SeeOther(ConsoleRequest.href("login"));
    }

    /**
     * {@code action} of member {@code m} in the audit log, with the browser's {@code address} and, when {@code key} is
     * given, one fact. A failure to write it is logged and changes nothing of the answer: a member signs in and out
     * whether or not the log can be written at that moment.
     */
    private void audit(Tenant tenant, StaffMember m, String action, String address, String key, Object value) {
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("address", address);
        if (key != null) after.put(key, value);
        try {
            console.audit.record(tenant, AuditEntry.Actor.staff(m.id(), m.email()), action, "staff_member", m.id(), null, after);
        } catch (RuntimeException e) {
            log.warn("could not record {} of staff member {} in the audit log", action, m.id(), e);
        }
    }

    /**
     * A refusal of member {@code m}, written off the request's path: the answer to a member the workspace knows then
     * takes as long, and reads alike, as the answer to an address it does not know (decision 033), whatever the write
     * costs or however it fails.
     */
    private void auditRefusal(Tenant tenant, StaffMember m, Context ctx, String reason) {
        String address = console.throttle.address(ctx);
        Thread.ofVirtual().name("sign-in-audit").start(() -> audit(tenant, m, "staff.sign_in_failed", address, "reason", reason));
    }

    private void showLogin(Context ctx, ConsoleRequest req, int status, Form form, String error) {
        console.render(ctx, status, "console/login.jte", new ConsoleViews.Login(console.layout(ctx, req, "Sign in", ""), form, error,
                ConsoleRequest.href("login")));
    }
}

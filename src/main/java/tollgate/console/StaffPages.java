package tollgate.console;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tollgate.core.Problem;
import tollgate.staff.StaffInvitation;
import tollgate.staff.StaffInvitations;
import tollgate.staff.StaffMember;
import tollgate.staff.StaffRole;
import tollgate.tenants.Tenant;
import tollgate.web.Form;
import tollgate.web.Layout;
import tollgate.web.PasswordRules;
import tollgate.web.Passwords;
import tollgate.web.SeeOther;
import tollgate.web.Web;
import tollgate.web.WebError;

/**
 * Settings → Staff (owners manage, admins see) and accepting an invitation (decision 041). Every change is audited.
 */
public final class StaffPages implements ConsolePages {
    static final String INVITATIONS = ConsoleRequest.BASE + "invitations/";
    private final StaffInvitations invitations;
    private Console console;

    public StaffPages(StaffInvitations invitations) {
        this.invitations = invitations;
    }

    @Override
    public void routes(Console console, Web.Router router) {
        this.console = console;
        router.get("/console/settings/staff", ctx -> show(ctx, 200, Form.empty().with("role", "support")));
        router.post("/console/settings/staff/invite", this::invite);
        router.post("/console/settings/staff/{id}/role", this::changeRole);
        router.post("/console/settings/staff/{id}/active", this::setActive);
        router.post("/console/settings/staff/invitations/{id}/revoke", this::revoke);
        router.get("/console/invitations/{token}", ctx -> acceptPage(ctx, 200, Form.empty()));
        router.post("/console/invitations/{token}", this::accept);
    }

    public record Row(String id, String name, String email, String role, String roleWire, boolean active, boolean twoFactor,
                      boolean you, String roleAction, String activeAction) {}

    public record Invite(String email, String role, String expires, String revokeAction) {}

    public record View(Layout layout, List<Row> members, List<Invite> invitations, boolean manages, Form form,
                       List<Form.Option> roles, List<Form.Option> inviteRoles, String inviteAction) {}

    public record Accept(Layout layout, String tenantName, String email, String role, Form form, String action) {}

    private void show(Context ctx, int status, Form form) {
        ConsoleRequest req = console.signedIn(ctx).requireSettings();
        List<Row> rows = console.staff.list(req.tenant()).stream().map(m -> new Row(m.id(), m.name(), m.email(), m.role().label(),
                m.role().wire(), m.active(), m.totpEnabled(), m.id().equals(req.staff().id()),
                ConsoleRequest.href("settings/staff/" + m.id() + "/role"), ConsoleRequest.href("settings/staff/" + m.id() + "/active"))).toList();
        List<Invite> open = invitations.open(req.tenant()).stream().map(i -> new Invite(i.email(), i.role().label(),
                SettingsPages.DAY.format(i.expiresAt()), ConsoleRequest.href("settings/staff/invitations/" + i.id() + "/revoke"))).toList();
        List<Form.Option> roles = java.util.Arrays.stream(StaffRole.values()).map(r -> new Form.Option(r.wire(), r.label())).toList();
        console.render(ctx, status, "console/staff.jte", new View(console.layout(ctx, req, "Staff", "settings"), rows, open,
                req.canManageStaff(), form, roles, roles.subList(1, roles.size()), ConsoleRequest.href("settings/staff/invite")));
    }

    private void invite(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx).requireStaffManager();
        Form form = Form.posted(ctx, "email", "role");
        form.require("email", "Enter the address to invite.");
        StaffRole role = StaffRole.parse(form.value("role")).filter(r -> r != StaffRole.OWNER).orElse(null);
        if (role == null) form.reject("role", "Choose admin, support or read only.");
        if (form.valid()) {
            try {
                StaffInvitations.Made made = invitations.invite(req.tenant(), req.staff(), form.value("email"), role, INVITATIONS);
                console.audit(req, "staff.invited", "staff_invitation", made.invitation().id(), null,
                        Map.of("email", made.invitation().email(), "role", role.wire()));
                console.flash(ctx, Layout.Flash.Kind.SUCCESS, "Invitation sent to " + made.invitation().email() + ".");
                throw new SeeOther(ConsoleRequest.href("settings/staff"));
            } catch (Problem p) {
                form.reject("email", p.detail());
            }
        }
        show(ctx, 422, form);
    }

    private void changeRole(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx).requireStaffManager();
        StaffMember before = console.staff.get(req.tenant(), ctx.pathParam("id")).orElseThrow(WebError::notFound);
        StaffRole role = StaffRole.parse(ctx.formParam("role")).orElseThrow(() -> new WebError(422, "Choose a role", "Choose one of the roles in the list."));
        try {
            StaffMember after = console.staff.changeRole(req.tenant(), req.staff(), before.id(), role);
            if (after.role() != before.role())
                console.audit(req, "staff.role_changed", "staff_member", after.id(), Map.of("role", before.role().wire()),
                        Map.of("role", after.role().wire()));
            console.flash(ctx, Layout.Flash.Kind.SUCCESS, after.name() + " is now " + after.role().label().toLowerCase(java.util.Locale.ROOT) + ".");
        } catch (Problem p) {
            console.flash(ctx, Layout.Flash.Kind.ERROR, p.detail() + ".");
        }
        throw new SeeOther(ConsoleRequest.href("settings/staff"));
    }

    private void setActive(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx).requireStaffManager();
        StaffMember before = console.staff.get(req.tenant(), ctx.pathParam("id")).orElseThrow(WebError::notFound);
        boolean active = "true".equals(ctx.formParam("active"));
        try {
            StaffMember after = console.staff.setActive(req.tenant(), req.staff(), before.id(), active);
            if (!active) console.sessions.endAllOf(req.tenant().id(), after.id());
            if (after.active() != before.active())
                console.audit(req, active ? "staff.reactivated" : "staff.deactivated", "staff_member", after.id(),
                        Map.of("active", before.active()), Map.of("active", after.active()));
            console.flash(ctx, Layout.Flash.Kind.SUCCESS, after.name() + (active ? " can sign in again." : " can no longer sign in."));
        } catch (Problem p) {
            console.flash(ctx, Layout.Flash.Kind.ERROR, p.detail() + ".");
        }
        throw new SeeOther(ConsoleRequest.href("settings/staff"));
    }

    private void revoke(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx).requireStaffManager();
        invitations.revoke(req.tenant(), req.staff(), ctx.pathParam("id"));
        console.audit(req, "staff.invitation_revoked", "staff_invitation", ctx.pathParam("id"), null, null);
        console.flash(ctx, Layout.Flash.Kind.SUCCESS, "The invitation was withdrawn.");
        throw new SeeOther(ConsoleRequest.href("settings/staff"));
    }

    /** The tenant and open invitation of the link, or the 410 page. */
    private record Link(Tenant tenant, StaffInvitation invitation) {}

    private Link link(Context ctx) {
        String token = ctx.pathParam("token");
        Tenant tenant = invitations.tenantOf(token).map(console.tenants::get).orElseThrow(StaffPages::gone);
        StaffInvitation i = invitations.open(tenant, token).orElseThrow(StaffPages::gone);
        return new Link(tenant, i);
    }

    static WebError gone() {
        return new WebError(410, "This link no longer works", "It has expired or was already used. Ask the owner who invited you for a new invitation.");
    }

    private void acceptPage(Context ctx, int status, Form form) {
        ConsoleRequest req = console.request(ctx);
        Link l = link(ctx);
        console.render(ctx, status, "console/accept.jte", new Accept(console.layout(ctx, req, "Join " + l.tenant().name(), ""),
                l.tenant().name(), l.invitation().email(), l.invitation().role().label(), form, ctx.path()));
    }

    private void accept(Context ctx) {
        Link l = link(ctx);
        Form form = Form.posted(ctx, "name").require("name", "Enter your name.");
        if (form.value("name").length() > 200) form.reject("name", "Use at most 200 characters.");
        String password = ctx.formParam("password") == null ? "" : ctx.formParam("password");
        PasswordRules.problem(password, l.invitation().email(), l.tenant().name(), form.value("name")).ifPresent(why -> form.reject("password", why));
        if (!form.valid()) {
            acceptPage(ctx, 422, form);
            return;
        }
        StaffMember m;
        try {
            m = invitations.accept(l.tenant(), ctx.pathParam("token"), form.value("name"), Passwords.hash(password));
        } catch (Problem p) {
            throw p.status() == 410 ? gone() : new WebError(p.status(), "Could not join", p.detail() + ".");
        }
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("email", m.email());
        after.put("role", m.role().wire());
        console.audit.record(l.tenant(), tollgate.audit.AuditEntry.Actor.staff(m.id(), m.email()), "staff.joined", "staff_member",
                m.id(), null, after);
        console.sessions.signIn(ctx, m.tenantId(), m.id(), ConsoleRequest.BASE);
        console.flash(ctx, Layout.Flash.Kind.SUCCESS, "Welcome to " + l.tenant().name() + ".");
        throw new SeeOther(ConsoleRequest.href("home"));
    }
}

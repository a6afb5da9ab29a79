package tollgate.portal;

import io.javalin.http.Context;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tollgate.accounts.PortalLinks;
import tollgate.accounts.PortalToken;
import tollgate.accounts.PortalUser;
import tollgate.core.Problem;
import tollgate.web.Form;
import tollgate.web.Layout;
import tollgate.web.SeeOther;
import tollgate.web.Web;
import tollgate.web.WebError;

/**
 * The Users page (owners and admins only, decision 037): the account's users and open invitations, invite by email,
 * change a role, deactivate (its sessions end at once) and reactivate; and the invitation's accept page.
 */
final class UserPages {
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMMM d, yyyy", Locale.ENGLISH);
    private final Portal portal;
    private final PortalLinks links;

    UserPages(Portal portal, PortalLinks links) {
        this.portal = portal;
        this.links = links;
    }

    void routes(Web.Router router) {
        router.get("/portal/{slug}/users", this::list);
        router.get("/portal/{slug}/users/invite", this::inviteForm);
        router.post("/portal/{slug}/users/invite", this::invite);
        router.post("/portal/{slug}/users/verify-email", this::resendVerification);
        router.post("/portal/{slug}/users/invitations/{id}/revoke", this::revokeInvitation);
        router.post("/portal/{slug}/users/{id}/role", this::changeRole);
        router.get("/portal/{slug}/users/{id}/deactivate", this::confirmDeactivate);
        router.post("/portal/{slug}/users/{id}/deactivate", this::deactivate);
        router.post("/portal/{slug}/users/{id}/reactivate", this::reactivate);
        router.get("/portal/{slug}/invitations/{token}", this::acceptForm);
        router.post("/portal/{slug}/invitations/{token}", this::accept);
    }

    private void list(Context ctx) {
        PortalRequest req = portal.signedIn(ctx).requireManager();
        PortalUser me = req.user().orElseThrow();
        List<UserViews.Row> rows = new ArrayList<>();
        boolean owner = me.role() == PortalUser.Role.OWNER;
        for (PortalUser u : portal.users.list(req.tenant(), me.accountId())) {
            boolean mayTouch = owner || u.role() != PortalUser.Role.OWNER;
            boolean you = u.id().equals(me.id());
            rows.add(new UserViews.Row(u.id(), u.name(), u.email(), u.role().wire(), u.active(), you, mayTouch && u.active(),
                    mayTouch && u.active() && !you, mayTouch && !u.active(), req.href("users/" + u.id() + "/role"),
                    req.href("users/" + u.id() + "/deactivate"), req.href("users/" + u.id() + "/reactivate")));
        }
        ZoneId zone = ZoneId.of(req.account().orElseThrow().timezone());
        List<UserViews.Invitation> invitations = links.openInvitations(req.tenant(), me.accountId()).stream()
                .map(t -> new UserViews.Invitation(t.id(), t.email(), t.role().wire(), t.invitedBy(),
                        DAY.format(t.expiresAt().atZone(zone)), req.href("users/invitations/" + t.id() + "/revoke"))).toList();
        portal.pages.send(ctx, "portal/users.jte", new UserViews.Users(portal.layout(ctx, req, "Users", "users"), rows, invitations,
                roles(me), req.href("users/invite"), me.emailVerified(), req.href("users/verify-email")));
    }

    /** The roles the actor may give: an admin cannot make owners. */
    static List<Form.Option> roles(PortalUser me) {
        List<Form.Option> out = new ArrayList<>();
        if (me.role() == PortalUser.Role.OWNER) out.add(new Form.Option("owner", "Owner"));
        out.add(new Form.Option("admin", "Admin"));
        out.add(new Form.Option("member", "Member"));
        return out;
    }

    private void inviteForm(Context ctx) {
        PortalRequest req = portal.signedIn(ctx).requireManager();
        showInvite(ctx, req, 200, Form.empty().with("role", "member"));
    }

    private void invite(Context ctx) {
        PortalRequest req = portal.signedIn(ctx).requireManager();
        PortalUser me = req.user().orElseThrow();
        Form form = Form.posted(ctx, "email", "role");
        form.require("email", "Enter the email address to invite.");
        String email = form.value("email");
        if (!email.isEmpty() && !tollgate.core.EmailAddress.valid(email))
            form.reject("email", "Enter an email address like name@example.com.");
        PortalUser.Role role = roleOf(form.value("role"), me);
        if (role == null) form.reject("role", "Choose a role from the list.");
        if (form.valid()) {
            // A second send of the same form (a double click, a reload) invites nobody again: one link, one mail, and
            // the first mail's link keeps working (a new invitation of an address replaces the older one).
            if (!portal.formTokens.firstUse(req.session(), ctx.formParam("form_token"))) throw new SeeOther(req.href("users"));
            try {
                links.invite(req.tenant(), me, email, role, req.base());
                portal.flashes.add(ctx, Layout.Flash.Kind.SUCCESS, "Invitation sent to " + email + ".", req.base());
                throw new SeeOther(req.href("users"));
            } catch (Problem p) {
                form.reject("email_taken".equals(p.code()) || "email_unverified".equals(p.code()) ? "email" : "role",
                        "email_taken".equals(p.code()) ? "This address already has a user here." : p.detail() + ".");
            }
        }
        showInvite(ctx, req, 422, form);
    }

    private static PortalUser.Role roleOf(String value, PortalUser me) {
        return switch (value) {
            case "owner" -> me.role() == PortalUser.Role.OWNER ? PortalUser.Role.OWNER : null;
            case "admin" -> PortalUser.Role.ADMIN;
            case "member" -> PortalUser.Role.MEMBER;
            default -> null;
        };
    }

    private void showInvite(Context ctx, PortalRequest req, int status, Form form) {
        PortalUser me = req.user().orElseThrow();
        portal.pages.send(ctx, status, "portal/invite.jte", new UserViews.Invite(portal.layout(ctx, req, "Invite a user", "users"),
                form, roles(me), req.href("users/invite"), req.href("users"), me.emailVerified(), req.href("users/verify-email"),
                tollgate.web.FormTokens.newToken()));
    }

    private void resendVerification(Context ctx) {
        PortalRequest req = portal.signedIn(ctx);
        links.sendVerification(req.tenant(), req.user().orElseThrow(), req.base());
        portal.flashes.add(ctx, Layout.Flash.Kind.INFO, "We sent a new confirmation link to " + req.user().get().email() + ".",
                req.base());
        throw new SeeOther(req.href(req.user().get().managesUsers() ? "users" : "dashboard"));
    }

    private void revokeInvitation(Context ctx) {
        PortalRequest req = portal.signedIn(ctx).requireManager();
        run(ctx, req, () -> {
            links.revokeInvitation(req.tenant(), req.user().orElseThrow(), ctx.pathParam("id"));
            return null;
        });
        portal.flashes.add(ctx, Layout.Flash.Kind.INFO, "The invitation was withdrawn.", req.base());
        throw new SeeOther(req.href("users"));
    }

    private void changeRole(Context ctx) {
        PortalRequest req = portal.signedIn(ctx).requireManager();
        PortalUser me = req.user().orElseThrow();
        PortalUser.Role role = roleOf(Form.posted(ctx, "role").value("role"), me);
        if (role == null) throw WebError.forbidden();
        PortalUser changed = run(ctx, req, () -> portal.users.changeRole(req.tenant(), me, ctx.pathParam("id"), role));
        portal.flashes.add(ctx, Layout.Flash.Kind.SUCCESS, changed.name() + " is now " + changed.role().wire() + ".", req.base());
        throw new SeeOther(req.href(changed.id().equals(me.id()) && !changed.managesUsers() ? "dashboard" : "users"));
    }

    private void confirmDeactivate(Context ctx) {
        PortalRequest req = portal.signedIn(ctx).requireManager();
        PortalUser target = portal.users.get(req.tenant(), ctx.pathParam("id"))
                .filter(u -> u.accountId().equals(req.user().get().accountId())).orElseThrow(WebError::notFound);
        portal.pages.send(ctx, "portal/confirm.jte", new UserViews.Confirm(portal.layout(ctx, req, "Deactivate " + target.name(), "users"),
                "Deactivate " + target.name() + "?", target.email() + " is signed out at once and can no longer log in. "
                + "You can reactivate the user later.", req.href("users/" + target.id() + "/deactivate"), "Deactivate",
                req.href("users")));
    }

    private void deactivate(Context ctx) {
        PortalRequest req = portal.signedIn(ctx).requireManager();
        PortalUser changed = run(ctx, req, () -> portal.users.setActive(req.tenant(), req.user().orElseThrow(), ctx.pathParam("id"), false));
        portal.sessions.endAllOf(req.tenant().id(), changed.id());
        portal.flashes.add(ctx, Layout.Flash.Kind.SUCCESS, changed.name() + " was deactivated and signed out.", req.base());
        throw new SeeOther(req.href("users"));
    }

    private void reactivate(Context ctx) {
        PortalRequest req = portal.signedIn(ctx).requireManager();
        PortalUser changed = run(ctx, req, () -> portal.users.setActive(req.tenant(), req.user().orElseThrow(), ctx.pathParam("id"), true));
        portal.flashes.add(ctx, Layout.Flash.Kind.SUCCESS, changed.name() + " can log in again.", req.base());
        throw new SeeOther(req.href("users"));
    }

    /** A refusal of the service as a page: 404 stays 404, a rule's refusal goes back to the Users page with its words. */
    private <T> T run(Context ctx, PortalRequest req, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (Problem p) {
            if (p.status() == 404) throw WebError.notFound();
            portal.flashes.add(ctx, Layout.Flash.Kind.ERROR, p.detail() + ".", req.base());
            throw new SeeOther(req.href("users"));
        }
    }

    private void acceptForm(Context ctx) {
        PortalRequest req = portal.request(ctx);
        PortalToken t = links.peek(req.tenant(), ctx.pathParam("token"), PortalToken.Purpose.INVITATION).orElseThrow(Portal::linkGone);
        showAccept(ctx, req, 200, Form.empty(), t);
    }

    private void accept(Context ctx) {
        PortalRequest req = portal.request(ctx);
        String token = ctx.pathParam("token");
        PortalToken t = links.peek(req.tenant(), token, PortalToken.Purpose.INVITATION).orElseThrow(Portal::linkGone);
        Form form = Form.posted(ctx, "name", "password");
        form.require("name", "Enter your name.");
        if (form.value("name").length() > 200) form.reject("name", "Use at most 200 characters.");
        String password = ctx.formParam("password") == null ? "" : ctx.formParam("password");
        String company = portal.accounts.get(req.tenant(), t.accountId()).name();
        tollgate.web.PasswordRules.problem(password, t.email(), company, form.value("name")).ifPresent(why -> form.reject("password", why));
        if (!form.valid()) {
            showAccept(ctx, req, 422, form.forget("password"), t);
            return;
        }
        PortalUser user;
        try {
            user = links.accept(req.tenant(), token, form.value("name"), tollgate.web.Passwords.hash(password));
        } catch (Problem p) {
            if (p.status() == 410) throw Portal.linkGone();
            form.reject("name", p.detail() + ".");
            showAccept(ctx, req, p.status(), form.forget("password"), t);
            return;
        }
        portal.sessions.signIn(ctx, req.tenant().id(), user.id(), req.base());
        portal.flashes.add(ctx, Layout.Flash.Kind.SUCCESS, "Welcome, " + user.name() + ": you have joined "
                + company + ".", req.base());
        throw new SeeOther(req.href("dashboard"));
    }

    private void showAccept(Context ctx, PortalRequest req, int status, Form form, PortalToken t) {
        String company = portal.accounts.get(req.tenant(), t.accountId()).name();
        portal.pages.send(ctx, status, "portal/accept.jte", new UserViews.Accept(portal.layout(ctx, req, "Join " + company, ""),
                form, company, t.email(), t.role().wire(), req.href("invitations/" + ctx.pathParam("token"))));
    }
}

package tollgate.portal;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tollgate.accounts.PortalLinks;
import tollgate.accounts.PortalToken;
import tollgate.accounts.PortalUser;
import tollgate.core.Problem;
import tollgate.web.Cookies;
import tollgate.web.WebError;
import tollgate.web.Form;
import tollgate.web.Layout;
import tollgate.web.PasswordRules;
import tollgate.web.Passwords;
import tollgate.web.SeeOther;
import tollgate.web.Web;

/**
 * The single-use links that reach the portal from outside (decision 037): password reset (forgot form and the mailed
 * link), email verification, and portal sessions opened by the seller's app (POST /v1/portal_sessions).
 */
final class LinkPages {
    /** The cookie that remembers where "Return to <seller>" leads, for the session a portal-session link opened. */
    static final String RETURN_COOKIE = "tg_return";
    static final String SENT = "If an account uses this address, we have sent it a link to choose a new password. "
            + "The link works once, for 30 minutes.";
    private final Portal portal;
    private final PortalLinks links;
    private final Cookies cookies;

    LinkPages(Portal portal, PortalLinks links, Cookies cookies) {
        this.portal = portal;
        this.links = links;
        this.cookies = cookies;
    }

    void routes(Web.Router router) {
        router.get("/portal/{slug}/forgot", ctx -> showForgot(ctx, portal.request(ctx), 200, Form.empty(), false));
        router.post("/portal/{slug}/forgot", this::forgot);
        router.get("/portal/{slug}/reset/{token}", this::resetForm);
        router.post("/portal/{slug}/reset/{token}", this::reset);
        router.get("/portal/{slug}/verify/{token}", this::verify);
        router.get("/portal/{slug}/session/{token}", this::session);
    }

    private void forgot(Context ctx) {
        PortalRequest req = portal.request(ctx);
        Form form = Form.posted(ctx, "email");
        String email = form.value("email");
        if (email.isEmpty() || !tollgate.core.EmailAddress.valid(email)) {
            form.reject("email", "Enter an email address like name@example.com.");
            showForgot(ctx, req, 422, form, false);
            return;
        }
        // The same page whether or not the address has a user: nobody learns which addresses exist.
        links.requestReset(req.tenant(), email, req.base());
        showForgot(ctx, req, 200, form, true);
    }

    private void showForgot(Context ctx, PortalRequest req, int status, Form form, boolean sent) {
        portal.pages.send(ctx, status, "portal/forgot.jte", new UserViews.Forgot(portal.layout(ctx, req, "Reset your password", ""),
                form, req.href("forgot"), req.href("login"), sent));
    }

    private void resetForm(Context ctx) {
        PortalRequest req = portal.request(ctx);
        PortalToken t = links.peek(req.tenant(), ctx.pathParam("token"), PortalToken.Purpose.RESET).orElseThrow(Portal::linkGone);
        showReset(ctx, req, 200, Form.empty(), t);
    }

    private void reset(Context ctx) {
        PortalRequest req = portal.request(ctx);
        String token = ctx.pathParam("token");
        PortalToken t = links.peek(req.tenant(), token, PortalToken.Purpose.RESET).orElseThrow(Portal::linkGone);
        PortalUser user = portal.users.get(req.tenant(), t.userId()).orElseThrow(Portal::linkGone);
        Form form = Form.empty();
        String password = ctx.formParam("password") == null ? "" : ctx.formParam("password");
        String company = portal.accounts.get(req.tenant(), t.accountId()).name();
        PasswordRules.problem(password, user.email(), company, user.name()).ifPresent(why -> form.reject("password", why));
        if (!form.valid()) {
            showReset(ctx, req, 422, form, t);
            return;
        }
        PortalUser done;
        try {
            done = links.reset(req.tenant(), token, Passwords.hash(password));
        } catch (Problem p) {
            throw Portal.linkGone();
        }
        // Every other session of the user ends (whoever knew the old password is out); this browser signs in anew.
        portal.sessions.endAllOf(req.tenant().id(), done.id());
        portal.sessions.signIn(ctx, req.tenant().id(), done.id(), req.base());
        portal.flashes.add(ctx, Layout.Flash.Kind.SUCCESS, "Your password was changed and your other sessions were ended.", req.base());
        throw new SeeOther(req.href("dashboard"));
    }

    private void showReset(Context ctx, PortalRequest req, int status, Form form, PortalToken t) {
        portal.pages.send(ctx, status, "portal/reset.jte", new UserViews.Reset(portal.layout(ctx, req, "Choose a new password", ""),
                form, t.email(), req.href("reset/" + ctx.pathParam("token"))));
    }

    private void verify(Context ctx) {
        PortalRequest req = portal.request(ctx);
        try {
            links.verify(req.tenant(), ctx.pathParam("token"));
        } catch (Problem p) {
            throw Portal.linkGone();
        }
        portal.flashes.add(ctx, Layout.Flash.Kind.SUCCESS, "Thank you: your email address is confirmed.", req.base());
        throw new SeeOther(req.href(req.signedIn() ? "dashboard" : "login"));
    }

    /** A portal-session link: signs the account's owner in once, and remembers the seller's return address. */
    private void session(Context ctx) {
        PortalRequest req = portal.request(ctx);
        PortalToken t;
        try {
            t = links.redeemSession(req.tenant(), ctx.pathParam("token"));
        } catch (Problem p) {
            throw new WebError(410, "This link no longer works", "A link to the portal from another app works once, for 5 minutes. "
                    + "Go back to the app you came from and open the portal from there again, or log in with your email and password.");
        }
        portal.sessions.signIn(ctx, req.tenant().id(), t.userId(), req.base());
        if (t.returnUrl() != null)
            cookies.set(ctx, RETURN_COOKIE, Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(t.returnUrl().getBytes(StandardCharsets.UTF_8)), req.base());
        else cookies.clear(ctx, RETURN_COOKIE, req.base());
        throw new SeeOther(req.href("dashboard"));
    }

    /** Log-out forgets the seller's return address with the session (the next person at this browser never sees it). */
    void forgetReturn(Context ctx, String base) {
        if (ctx.cookie(RETURN_COOKIE) != null) cookies.clear(ctx, RETURN_COOKIE, base);
    }

    /** The return address of this browser's portal session, if a portal-session link set one (http/https only). */
    static String returnUrl(Context ctx) {
        String v = ctx.cookie(RETURN_COOKIE);
        if (v == null || v.isEmpty() || v.length() > 3000) return null;
        try {
            String url = new String(Base64.getUrlDecoder().decode(v), StandardCharsets.UTF_8);
            return PortalLinks.validReturnUrl(url) ? url : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

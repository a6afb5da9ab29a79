package tollgate.console;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import tollgate.core.Problem;
import tollgate.staff.TwoFactor;
import tollgate.web.Form;
import tollgate.web.Layout;
import tollgate.web.SeeOther;
import tollgate.web.Web;

/**
 * Your sign-in → two-factor (decision 041), for every role: turn on (a QR code and the secret as text, confirmed by a
 * first code; ten recovery codes shown once), turn off (with a current code). Audited as the member's own action.
 */
public final class SecurityPages implements ConsolePages {
    private Console console;

    public record View(Layout layout, boolean enabled, int recoveryLeft, String qr, String secret, Form form, String startAction,
                       String confirmAction, String disableAction) {}

    public record Codes(Layout layout, List<String> codes, String backHref) {}

    @Override
    public void routes(Console console, Web.Router router) {
        this.console = console;
        router.get("/console/account/security", ctx -> show(ctx, 200, Form.empty(), false));
        router.post("/console/account/security/start", this::start);
        router.post("/console/account/security/confirm", this::confirm);
        router.post("/console/account/security/disable", this::disable);
    }

    private void show(Context ctx, int status, Form form, boolean enrolling) {
        ConsoleRequest req = console.signedIn(ctx);
        TwoFactor tf = console.twoFactor;
        TwoFactor.Enrolment e = enrolling || !req.staff().totpEnabled() ? tf.pending(req.tenant(), req.staff()).orElse(null) : null;
        console.render(ctx, status, "console/security.jte", new View(console.layout(ctx, req, "Your sign-in", "account"),
                req.staff().totpEnabled(), req.staff().totpEnabled() ? tf.recoveryCodesLeft(req.staff()) : 0,
                e == null ? null : QrSvg.dataUrl(e.uri()), e == null ? null : group(e.secret()), form,
                ConsoleRequest.href("account/security/start"), ConsoleRequest.href("account/security/confirm"),
                ConsoleRequest.href("account/security/disable")));
    }

    /** The secret in groups of four, as authenticator apps show it. */
    static String group(String secret) {
        return secret.replaceAll("(.{4})(?!$)", "$1 ");
    }

    private void start(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx);
        try {
            console.twoFactor.start(req.tenant(), req.staff());
        } catch (Problem p) {
            console.flash(ctx, Layout.Flash.Kind.ERROR, p.detail() + ".");
        }
        throw new SeeOther(ConsoleRequest.href("account/security"));
    }

    private void confirm(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx);
        Form form = Form.posted(ctx, "code");
        try {
            List<String> codes = console.twoFactor.confirm(req.tenant(), req.staff(), form.value("code"));
            console.audit(req, "staff.two_factor_enabled", "staff_member", req.staff().id(), Map.of("two_factor", false), Map.of("two_factor", true));
            console.render(ctx, 200, "console/recovery-codes.jte", new Codes(console.layout(ctx, req, "Recovery codes", "account"),
                    codes.stream().map(c -> c.substring(0, 5) + "-" + c.substring(5)).toList(), ConsoleRequest.href("home")));
        } catch (Problem p) {
            show(ctx, 422, form.forget("code").reject("code", p.detail()), true);
        }
    }

    private void disable(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx);
        Form form = Form.posted(ctx, "code");
        if (!req.staff().totpEnabled() || !console.twoFactor.verify(req.tenant(), req.staff(), form.value("code"))) {
            show(ctx, 422, form.forget("code").reject("code", "That code is not right. Type the code your app shows now, or a recovery code."), false);
            return;
        }
        console.twoFactor.disable(req.tenant(), req.staff());
        console.audit(req, "staff.two_factor_disabled", "staff_member", req.staff().id(), Map.of("two_factor", true), Map.of("two_factor", false));
        console.flash(ctx, Layout.Flash.Kind.SUCCESS, "Two-factor sign-in is off.");
        throw new SeeOther(ConsoleRequest.href("account/security"));
    }
}

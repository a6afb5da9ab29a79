package tollgate.portal;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.Optional;
import tollgate.parties.Address;
import tollgate.parties.Company;
import tollgate.accounts.PortalUser;
import tollgate.accounts.PortalUsers;
import tollgate.core.Problem;
import tollgate.web.Form;
import tollgate.web.Layout;
import tollgate.web.PasswordRules;
import tollgate.web.Passwords;
import tollgate.web.SeeOther;

/** Sign up, log in, log out (and out everywhere): the portal's way in and out. */
final class SigningIn {
    static final String[] SIGN_UP_FIELDS = {"company", "contact_name", "email", "country", "address_line1", "city",
            "postal_code", "vat_id", "timezone", "password"};
    /** The answer to a wrong password and to an unknown or deactivated address alike: it must not tell them apart. */
    static final String WRONG = "The email or password is incorrect.";
    /** Accounts opened from the portal bill in this currency until the tenant can choose its own (decision 033). */
    static final String CURRENCY = "USD";
    private final Portal portal;

    SigningIn(Portal portal) {
        this.portal = portal;
    }

    void signUpForm(Context ctx) {
        PortalRequest req = portal.request(ctx);
        if (req.signedIn()) throw new SeeOther(req.href("dashboard"));
        showSignUp(ctx, req, 200, Form.empty().with("timezone", "UTC"));
    }

    void signUp(Context ctx) {
        PortalRequest req = portal.request(ctx);
        Form form = Form.posted(ctx, SIGN_UP_FIELDS);
        form.require("company", "Enter your company's name.").require("contact_name", "Enter the name of a contact person.")
                .require("email", "Enter your email address.").require("country", "Choose your country.")
                .require("timezone", "Choose your time zone.");
        tooLong(form, "company", 200);
        tooLong(form, "contact_name", 200);
        tooLong(form, "address_line1", 200);
        tooLong(form, "city", 100);
        tooLong(form, "postal_code", 20);
        tooLong(form, "vat_id", 50);
        String email = form.value("email");
        if (!email.isEmpty() && !tollgate.core.EmailAddress.valid(email))
            form.reject("email", "Enter an email address like name@example.com.");
        if (!form.value("country").isEmpty() && !Choices.COUNTRY_CODES.contains(form.value("country")))
            form.reject("country", "Choose a country from the list.");
        if (!form.value("timezone").isEmpty() && !Choices.ZONE_IDS.contains(form.value("timezone")))
            form.reject("timezone", "Choose a time zone from the list.");
        String password = ctx.formParam("password") == null ? "" : ctx.formParam("password");
        PasswordRules.problem(password, email, form.value("company"), form.value("contact_name"))
                .ifPresent(why -> form.reject("password", why));
        if (!form.valid()) {
            showSignUp(ctx, req, 422, form.forget("password"));
            return;
        }
        Company company = new Company(form.value("company"), new Address(form.optional("address_line1"), null,
                form.optional("city"), form.optional("postal_code"), null, form.value("country")), form.optional("vat_id"), null);
        PortalUsers.SignedUp done;
        try {
            done = portal.users.signUp(req.tenant(), new PortalUsers.SignUp(form.value("company"), form.value("contact_name"),
                    email, CURRENCY, form.value("timezone"), company), Passwords.hash(password));
        } catch (Problem p) {
            form.reject(fieldOf(p), "email_taken".equals(p.code())
                    ? "An account with this email already exists. Log in instead." : p.detail());
            showSignUp(ctx, req, p.status(), form.forget("password"));
            return;
        }
        if (portal.links != null) portal.links.sendVerification(req.tenant(), done.owner(), req.base());
        portal.sessions.signIn(ctx, req.tenant().id(), done.owner().id(), req.base());
        portal.flashes.add(ctx, Layout.Flash.Kind.SUCCESS, "Welcome to " + req.tenant().name() + ": your account is ready.", req.base());
        throw new SeeOther(req.href("dashboard"));
    }

    void loginForm(Context ctx) {
        PortalRequest req = portal.request(ctx);
        if (req.signedIn()) throw new SeeOther(req.href("dashboard"));
        showLogin(ctx, req, 200, Form.empty(), null);
    }

    void login(Context ctx) {
        PortalRequest req = portal.request(ctx);
        Form form = Form.posted(ctx, "email", "password").forget("password");
        String password = ctx.formParam("password") == null ? "" : ctx.formParam("password");
        String who = PortalUser.emailKey(form.value("email"));
        String scope = "portal:" + req.tenant().id();
        Duration wait = portal.throttle.wait(scope, who, portal.throttle.address(ctx));
        if (!wait.isZero()) {
            long minutes = Math.max(1, (wait.toSeconds() + 59) / 60);
            showLogin(ctx, req, 429, form, "Too many failed attempts. Try again in " + minutes
                    + (minutes == 1 ? " minute." : " minutes."));
            return;
        }
        Optional<PortalUser> user = portal.users.byEmail(req.tenant(), form.value("email"));
        // The hash is checked even for an unknown address (against a decoy), so both take the same time.
        boolean matches = Passwords.verify(password, user.map(PortalUser::passwordHash).orElse(null));
        if (!matches || !user.get().active()) {
            portal.throttle.failed(scope, who, portal.throttle.address(ctx));
            showLogin(ctx, req, 422, form, WRONG);
            return;
        }
        portal.throttle.succeeded(scope, who);
        portal.sessions.signIn(ctx, req.tenant().id(), user.get().id(), req.base());
        throw new SeeOther(req.href("dashboard"));
    }

    void logout(Context ctx) {
        PortalRequest req = portal.request(ctx);
        portal.sessions.signOut(ctx, req.base());
        portal.forgetReturn(ctx, req.base());
        portal.flashes.add(ctx, Layout.Flash.Kind.INFO, "You have logged out.", req.base());
        throw new SeeOther(req.href("login"));
    }

    void logoutEverywhere(Context ctx) {
        PortalRequest req = portal.signedIn(ctx);
        portal.sessions.signOutEverywhere(ctx, req.tenant().id(), req.user().orElseThrow().id(), req.base());
        portal.forgetReturn(ctx, req.base());
        portal.flashes.add(ctx, Layout.Flash.Kind.INFO, "You have logged out on every device.", req.base());
        throw new SeeOther(req.href("login"));
    }

    private void showSignUp(Context ctx, PortalRequest req, int status, Form form) {
        portal.pages.send(ctx, status, "portal/signup.jte", new Views.SignUp(portal.layout(ctx, req, "Create your account", ""),
                form, Choices.COUNTRIES, Choices.ZONES, req.href("signup"), req.href("login")));
    }

    private void showLogin(Context ctx, PortalRequest req, int status, Form form, String error) {
        portal.pages.send(ctx, status, "portal/login.jte", new Views.Login(portal.layout(ctx, req, "Log in", ""), form, error,
                req.href("login"), req.href("signup"), req.href("forgot")));
    }

    private static void tooLong(Form form, String field, int max) {
        if (form.value(field).length() > max) form.reject(field, "Use at most " + max + " characters.");
    }

    /** The form field a service's refusal names ("company.address.country" is the country field). */
    private static String fieldOf(Problem p) {
        String f = p.field() == null ? "" : p.field();
        if (f.endsWith("country")) return "country";
        if (f.endsWith("tax_id")) return "vat_id";
        if (f.endsWith("timezone")) return "timezone";
        if (f.endsWith("email")) return "email";
        if (f.endsWith("line1")) return "address_line1";
        if (f.endsWith("city")) return "city";
        if (f.endsWith("postal_code")) return "postal_code";
        if (f.equals("contact_name")) return "contact_name";
        return "company";
    }
}

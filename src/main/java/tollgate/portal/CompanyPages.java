package tollgate.portal;

import io.javalin.http.Context;
import tollgate.accounts.Account;
import tollgate.parties.Address;
import tollgate.accounts.AccountChangeRules;
import tollgate.parties.Company;
import tollgate.core.Problem;
import tollgate.web.Form;
import tollgate.web.Layout;
import tollgate.web.SeeOther;
import tollgate.web.Web;

/**
 * Company details (decision 036): what the next invoices show of the account, changed by the same rules as
 * {@code POST /v1/accounts/{id}} ({@link tollgate.accounts.Accounts#update}); a new time zone may wait for the license
 * month in progress to close, and the page says so. Owners and admins only.
 */
final class CompanyPages {
    static final String[] FIELDS = {"company", "address_line1", "address_line2", "city", "postal_code", "state", "country",
            "vat_id", "email", "timezone"};
    private final Portal portal;

    CompanyPages(Portal portal) {
        this.portal = portal;
    }

    void routes(Web.Router router) {
        router.get("/portal/{slug}/company", this::form);
        router.post("/portal/{slug}/company", this::save);
    }

    private void form(Context ctx) {
        PortalRequest req = BillingPages.manager(portal, ctx);
        Account a = portal.accounts.get(req.tenant(), req.account().orElseThrow().id());
        Company c = a.company();
        Address ad = c == null || c.address() == null ? new Address(null, null, null, null, null, null) : c.address();
        Form form = Form.empty().with("company", c != null && c.legalName() != null ? c.legalName() : a.name())
                .with("address_line1", text(ad.line1())).with("address_line2", text(ad.line2())).with("city", text(ad.city()))
                .with("postal_code", text(ad.postalCode())).with("state", text(ad.state())).with("country", text(ad.country()))
                .with("vat_id", c == null ? "" : text(c.taxId())).with("email", a.email())
                .with("timezone", a.pendingTimezone() != null ? a.pendingTimezone() : a.timezone());
        show(ctx, req, a, 200, form);
    }

    private void save(Context ctx) {
        PortalRequest req = BillingPages.manager(portal, ctx);
        Account before = portal.accounts.get(req.tenant(), req.account().orElseThrow().id());
        Form form = Form.posted(ctx, FIELDS);
        form.require("company", "Enter your company's name.").require("email", "Enter an email address for invoices.")
                .require("country", "Choose your country.").require("timezone", "Choose your time zone.");
        tooLong(form, "company", 200);
        tooLong(form, "address_line1", 200);
        tooLong(form, "address_line2", 200);
        tooLong(form, "city", 100);
        tooLong(form, "postal_code", 20);
        tooLong(form, "state", 100);
        tooLong(form, "vat_id", 50);
        String email = form.value("email");
        if (!email.isEmpty() && !tollgate.core.EmailAddress.valid(email))
            form.reject("email", "Enter an email address like billing@example.com.");
        if (!form.value("country").isEmpty() && !Choices.COUNTRY_CODES.contains(form.value("country")))
            form.reject("country", "Choose a country from the list.");
        if (!form.value("timezone").isEmpty() && !Choices.ZONE_IDS.contains(form.value("timezone")))
            form.reject("timezone", "Choose a time zone from the list.");
        if (!form.valid()) {
            show(ctx, req, before, 422, form);
            return;
        }
        Company old = before.company();
        Company company = new Company(form.value("company"), new Address(form.optional("address_line1"), form.optional("address_line2"),
                form.optional("city"), form.optional("postal_code"), form.optional("state"), form.value("country")),
                form.optional("vat_id"), old == null ? null : old.billingEmail());
        Account after;
        try {
            after = portal.accounts.update(req.tenant(), before.id(), new AccountChangeRules.Changes(form.value("company"), email,
                    form.value("timezone"), company, null));
        } catch (Problem p) {
            form.reject(field(p.field()), p.detail());
            show(ctx, req, before, p.status(), form);
            return;
        }
        String message = "Your company details are saved: your next invoices show them.";
        if (after.pendingTimezone() != null)
            message += " The time zone " + after.pendingTimezone() + " applies once this month's licenses are billed.";
        portal.flashes.add(ctx, Layout.Flash.Kind.SUCCESS, message, req.base());
        throw new SeeOther(req.href("company"));
    }

    private void show(Context ctx, PortalRequest req, Account a, int status, Form form) {
        portal.pages.send(ctx, status, "portal/company.jte", new BillingViews.Company(portal.layout(ctx, req, "Company details", "company"),
                form, Choices.COUNTRIES, Choices.ZONES, a.timezone(), a.pendingTimezone(),
                req.href("company")));
    }

    private static void tooLong(Form form, String field, int max) {
        if (form.value(field).length() > max) form.reject(field, "Use at most " + max + " characters.");
    }

    /** The form field a problem of the account's rules names (company.address.city → city). */
    private static String field(String f) {
        if (f == null) return "company";
        if (f.endsWith("email")) return "email";
        if (f.endsWith("timezone")) return "timezone";
        if (f.endsWith("tax_id")) return "vat_id";
        if (f.endsWith("line1")) return "address_line1";
        if (f.endsWith("line2")) return "address_line2";
        if (f.endsWith("city")) return "city";
        if (f.endsWith("postal_code")) return "postal_code";
        if (f.endsWith("state")) return "state";
        if (f.endsWith("country")) return "country";
        return "company";
    }

    private static String text(String v) {
        return v == null ? "" : v;
    }
}

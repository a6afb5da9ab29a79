package tollgate.console;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tollgate.core.Problem;
import tollgate.parties.Address;
import tollgate.parties.Company;
import tollgate.tenants.EmailBranding;
import tollgate.tenants.SellerCompany;
import tollgate.tenants.TenantLogos;
import tollgate.tenants.TenantProfile;
import tollgate.tenants.TenantProfiles;
import tollgate.web.Form;
import tollgate.web.Layout;
import tollgate.web.SeeOther;
import tollgate.web.Web;
import tollgate.web.WebError;

/**
 * Settings (issue 14 point 6, decision 041): the index, company details and branding (the logo uploaded here), email
 * settings with a test send. Owners and admins only (`requireSettings`); every change audited with before and after.
 */
public final class SettingsPages implements ConsolePages {
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm").withZone(ZoneOffset.UTC);
    static final String[] COMPANY_FIELDS = {"name", "legal_name", "address_line1", "city", "postal_code", "country", "tax_id",
            "billing_email", "support_email"};
    static final String[] EMAIL_FIELDS = {"sender_name", "sender_email", "reply_to", "brand_color"};

    /** Queues the test message to the member's own address (notify's Notifications.enqueueTo with no account). */
    @FunctionalInterface
    public interface TestMail {
        void send(tollgate.tenants.Tenant tenant, String recipient, String senderName);
    }

    private final TenantProfiles profiles;
    private final TenantLogos logos;
    private final TestMail testMail;
    private final String publicUrl;
    private Console console;

    public SettingsPages(TenantProfiles profiles, TenantLogos logos, TestMail testMail, String publicUrl) {
        this.profiles = profiles;
        this.logos = logos;
        this.testMail = testMail;
        this.publicUrl = publicUrl;
    }

    public record Link(String label, String href, String description) {}

    public record Index(Layout layout, List<Link> links) {}

    public record CompanyView(Layout layout, Form form, String logoSrc, String action, String logoAction, String logoRemoveAction) {}

    public record EmailView(Layout layout, Form form, String action, String testAction, String yourEmail) {}

    @Override
    public void routes(Console console, Web.Router router) {
        this.console = console;
        router.get("/console/settings", this::index);
        router.get("/console/settings/company", ctx -> company(ctx, 200, null));
        router.post("/console/settings/company", this::saveCompany);
        router.post("/console/settings/logo", this::uploadLogo);
        router.post("/console/settings/logo/remove", this::removeLogo);
        router.get("/console/settings/email", ctx -> email(ctx, 200, null));
        router.post("/console/settings/email", this::saveEmail);
        router.post("/console/settings/email/test", this::sendTest);
        router.get("/brand/{tenant}/{name}", this::serveLogo);
    }

    private void index(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx).requireSettings();
        List<Link> links = new java.util.ArrayList<>(List.of(
                new Link("Company and branding", ConsoleRequest.href("settings/company"), "Your company's details on invoices, and the logo on invoices, emails and the portal."),
                new Link("API keys", ConsoleRequest.href("settings/api-keys"), "Secret keys your app calls the API with: create, see once, revoke."),
                new Link("Webhooks", ConsoleRequest.href("settings/webhooks"), "Endpoints told of events, and what each delivery answered."),
                new Link("Email", ConsoleRequest.href("settings/email"), "Who your emails come from, where replies go, and a test message."),
                new Link("Staff", ConsoleRequest.href("settings/staff"), "Who can sign in to this console, with which role."),
                new Link("Your sign-in", ConsoleRequest.href("account/security"), "Two-factor sign-in with an authenticator app.")));
        if (req.tenant().isTest())
            links.add(new Link("Test clock", ConsoleRequest.href("test-clock"), "Move this test workspace's time forward to see renewals, dunning and emails happen."));
        console.render(ctx, 200, "console/settings.jte", new Index(console.layout(ctx, req, "Settings", "settings"), links));
    }

    private void company(Context ctx, int status, Form typed) {
        ConsoleRequest req = console.signedIn(ctx).requireSettings();
        TenantProfile p = profiles.get(req.tenant());
        Form form = typed != null ? typed : companyForm(p);
        console.render(ctx, status, "console/settings-company.jte", new CompanyView(console.layout(ctx, req, "Company and branding", "settings"),
                form, logos.pathOf(req.tenant().id()).orElse(null), ConsoleRequest.href("settings/company"),
                ConsoleRequest.href("settings/logo"), ConsoleRequest.href("settings/logo/remove")));
    }

    static Form companyForm(TenantProfile p) {
        Company c = p.company().details() == null ? Company.NONE : p.company().details();
        Address a = c.address() == null ? new Address(null, null, null, null, null, null) : c.address();
        Form f = Form.empty().with("name", p.name());
        String[] values = {c.legalName(), a.line1(), a.city(), a.postalCode(), a.country(), c.taxId(), c.billingEmail(), p.company().supportEmail()};
        for (int i = 0; i < values.length; i++) f.with(COMPANY_FIELDS[i + 1], values[i] == null ? "" : values[i]);
        return f;
    }

    static Map<String, Object> snapshot(Form f, String... fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String name : fields) m.put(name, f.optional(name));
        return m;
    }

    private void saveCompany(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx).requireSettings();
        Form before = companyForm(profiles.get(req.tenant()));
        Form form = Form.posted(ctx, COMPANY_FIELDS).require("name", "Enter your business's name.");
        String country = form.value("country").toUpperCase(java.util.Locale.ROOT);
        if (!country.isEmpty() && !country.matches("[A-Z]{2}")) form.reject("country", "Use the two-letter country code, e.g. DE or US.");
        if (form.valid()) {
            try {
                Company c = new Company(form.optional("legal_name"), new Address(form.optional("address_line1"), null, form.optional("city"),
                        form.optional("postal_code"), null, country.isEmpty() ? null : country), form.optional("tax_id"), form.optional("billing_email"));
                profiles.update(req.tenant(), form.value("name"), new SellerCompany(c, form.optional("support_email")));
                console.audit(req, "settings.company_updated", "tenant", req.tenant().id(), snapshot(before, COMPANY_FIELDS),
                        snapshot(form.with("country", country), COMPANY_FIELDS));
                console.flash(ctx, Layout.Flash.Kind.SUCCESS, "Company details saved.");
                throw new SeeOther(ConsoleRequest.href("settings/company"));
            } catch (Problem p) {
                form.reject(fieldOf(p.field()), p.detail());
            }
        }
        company(ctx, 422, form);
    }

    /** The form field a service's refusal names ("company.address.country" is the country field). */
    static String fieldOf(String field) {
        String f = field == null ? "" : field;
        for (String name : new String[] {"country", "tax_id", "line1", "city", "postal_code", "billing_email", "support_email",
                "legal_name", "sender_name", "sender_email", "reply_to", "brand_color"})
            if (f.endsWith(name)) return name.equals("line1") ? "address_line1" : name;
        return "name";
    }

    private void uploadLogo(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx).requireSettings();
        UploadedFile file = ctx.uploadedFile("logo");
        String before = logos.pathOf(req.tenant().id()).orElse(null);
        try {
            byte[] bytes;
            try (var in = file == null ? null : file.content()) {
                bytes = in == null ? null : in.readNBytes(TenantLogos.MAX_BYTES + 1);
            }
            String path = logos.put(req.tenant(), bytes);
            TenantProfile p = profiles.get(req.tenant());
            EmailBranding b = p.branding();
            profiles.update(req.tenant(), null, null, null, null, null, new EmailBranding(b.senderName(), b.senderEmail(), b.replyTo(),
                    publicUrl + path, b.brandColor(), b.accentColor()));
            console.audit(req, "settings.logo_uploaded", "tenant", req.tenant().id(), Map.of("logo", String.valueOf(before)), Map.of("logo", path));
            console.flash(ctx, Layout.Flash.Kind.SUCCESS, "Logo uploaded: it shows in the portal's header and your emails.");
        } catch (Problem p) {
            console.flash(ctx, Layout.Flash.Kind.ERROR, p.detail() + ".");
        } catch (java.io.IOException e) {
            console.flash(ctx, Layout.Flash.Kind.ERROR, "The file could not be read. Try again.");
        }
        throw new SeeOther(ConsoleRequest.href("settings/company"));
    }

    private void removeLogo(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx).requireSettings();
        String before = logos.pathOf(req.tenant().id()).orElse(null);
        logos.remove(req.tenant());
        EmailBranding b = profiles.get(req.tenant()).branding();
        profiles.update(req.tenant(), null, null, null, null, null, new EmailBranding(b.senderName(), b.senderEmail(), b.replyTo(),
                null, b.brandColor(), b.accentColor()));
        console.audit(req, "settings.logo_removed", "tenant", req.tenant().id(), Map.of("logo", String.valueOf(before)), null);
        console.flash(ctx, Layout.Flash.Kind.SUCCESS, "Logo removed.");
        throw new SeeOther(ConsoleRequest.href("settings/company"));
    }

    private void serveLogo(Context ctx) {
        TenantLogos.Logo logo = logos.serve(ctx.pathParam("tenant"), ctx.pathParam("name")).orElseThrow(WebError::notFound);
        ctx.contentType(logo.contentType()).header("Cache-Control", "public, max-age=31536000, immutable").result(logo.bytes());
    }

    private void email(Context ctx, int status, Form typed) {
        ConsoleRequest req = console.signedIn(ctx).requireSettings();
        EmailBranding b = profiles.get(req.tenant()).branding();
        Form form = typed != null ? typed : Form.empty().with("sender_name", nz(b.senderName())).with("sender_email", nz(b.senderEmail()))
                .with("reply_to", nz(b.replyTo())).with("brand_color", nz(b.brandColor()));
        console.render(ctx, status, "console/settings-email.jte", new EmailView(console.layout(ctx, req, "Email", "settings"), form,
                ConsoleRequest.href("settings/email"), ConsoleRequest.href("settings/email/test"), req.staff().email()));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private void saveEmail(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx).requireSettings();
        EmailBranding b = profiles.get(req.tenant()).branding();
        Form form = Form.posted(ctx, EMAIL_FIELDS);
        try {
            EmailBranding after = new EmailBranding(form.optional("sender_name"), form.optional("sender_email"), form.optional("reply_to"),
                    b.logoUrl(), form.optional("brand_color"), b.accentColor());
            profiles.update(req.tenant(), null, null, null, null, null, after);
            Map<String, Object> was = new LinkedHashMap<>();
            was.put("sender_name", b.senderName());
            was.put("sender_email", b.senderEmail());
            was.put("reply_to", b.replyTo());
            was.put("brand_color", b.brandColor());
            console.audit(req, "settings.email_updated", "tenant", req.tenant().id(), was, snapshot(form, EMAIL_FIELDS));
            console.flash(ctx, Layout.Flash.Kind.SUCCESS, "Email settings saved.");
            throw new SeeOther(ConsoleRequest.href("settings/email"));
        } catch (Problem p) {
            form.reject(fieldOf(p.field()), p.detail());
        }
        email(ctx, 422, form);
    }

    private void sendTest(Context ctx) {
        ConsoleRequest req = console.signedIn(ctx).requireSettings();
        testMail.send(req.tenant(), req.staff().email(), req.staff().name());
        console.audit(req, "settings.test_email_sent", "tenant", req.tenant().id(), null, Map.of("to", req.staff().email()));
        console.flash(ctx, Layout.Flash.Kind.SUCCESS, "A test message is on its way to " + req.staff().email() + ".");
        throw new SeeOther(ConsoleRequest.href("settings/email"));
    }
}

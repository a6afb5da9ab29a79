package tollgate.notify;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tollgate.invoicing.AmountFormat;
import tollgate.tenants.EmailBranding;
import tollgate.tenants.SellerCompany;
import tollgate.tenants.TenantProfile;

/**
 * Turns a queued notification into the email its recipient reads: the tenant's sender and brand, the message of the
 * notification's template in the language's words, its figures written for people (dates in the account's time zone,
 * amounts with their currency), the portal's links, and the invoice's PDF where the message carries one. No SQL, no
 * clock: whoever sends gives it what it needs ({@link Context}).
 */
public final class Composer {
    /** Tollgate's colours for a tenant that chose none. */
    public static final String BRAND_COLOR = "#1a56db";
    public static final String ACCENT_COLOR = "#f3f4f6";
    /** The messages that carry their invoice's PDF. */
    public static final Set<String> WITH_PDF = Set.of("invoice_issued", "invoice_paid");
    /** The message of dunning's notify steps whose template names no message of its own (payment_failed_1, …). */
    public static final String DUNNING_FALLBACK = "payment_failed";

    private static final Set<String> AMOUNTS = Set.of("amount_due", "amount_paid", "total", "price", "amount");

    /**
     * What a notification is composed with: the tenant as it is now, the account's name and zone (for a message to
     * the tenant itself, its own name and UTC), and the invoice's PDF when the message carries one.
     */
    public record Context(TenantProfile tenant, String accountName, ZoneId zone, Email.Attachment pdf) {}

    private final MailLanguage language;
    private final String publicUrl;
    private final String defaultFrom;

    public Composer(MailLanguage language, String publicUrl, String defaultFrom) {
        this.language = language;
        this.publicUrl = publicUrl;
        this.defaultFrom = defaultFrom;
    }

    public MailLanguage language() {
        return language;
    }

    /** The message a notification's template is shown as. */
    public String messageOf(Notification n) {
        if (language.has(n.template())) return n.template();
        if (n.invoice() != null && n.data().containsKey("step")) return DUNNING_FALLBACK;
        throw new MailTemplate.MissingValue("no message '" + n.template() + "' in " + language.language() + ".mail");
    }

    public boolean carriesPdf(Notification n) {
        return n.invoice() != null && WITH_PDF.contains(messageOf(n));
    }

    /** The whole email; fails ({@link MailTemplate.MissingValue}) rather than leave a value out. */
    public Email compose(Notification n, Context c) {
        MailLanguage.Rendered r = language.render(messageOf(n), model(n, c));
        EmailBranding b = c.tenant().branding();
        String replyTo = b.replyTo() != null ? b.replyTo() : c.tenant().company().supportEmail();
        return new Email(n.messageId(), b.senderName() != null ? b.senderName() : c.tenant().name(),
                b.senderEmail() != null ? b.senderEmail() : defaultFrom, replyTo, n.recipient(), r.subject(), r.text(), r.html(),
                n.createdAt(), c.pdf() == null ? List.of() : List.of(c.pdf()));
    }

    /** The values the templates see. */
    Map<String, Object> model(Notification n, Context c) {
        TenantProfile t = c.tenant();
        EmailBranding b = t.branding();
        Map<String, Object> m = new HashMap<>();
        m.put("tenant_name", t.name());
        m.put("logo_url", b.logoUrl());
        m.put("brand_color", b.brandColor() != null ? b.brandColor() : BRAND_COLOR);
        m.put("accent_color", b.accentColor() != null ? b.accentColor() : ACCENT_COLOR);
        m.put("support_email", t.company().supportEmail());
        m.put("company_line", companyLine(t.company()));
        m.put("account_name", c.accountName());
        m.put("recipient", n.recipient());
        String portal = publicUrl + "/portal/" + (t.slug() != null ? t.slug() : t.id());
        m.put("portal_url", portal + "/");
        m.put("invoices_url", portal + "/invoices");
        m.put("update_card_url", portal + "/payment-methods");
        m.put("pay_url", n.invoice() == null ? null : portal + "/invoices/" + n.invoice());
        String currency = n.data().get("currency") instanceof String s ? s : null;
        for (Map.Entry<String, Object> e : n.data().entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            if (v != null && AMOUNTS.contains(key) && currency != null && v instanceof Number num) {
                m.put(key, num.longValue() == 0 && key.equals("amount_due") ? null : AmountFormat.withCode(num.longValue(), currency));
            } else if (v instanceof String s && key.endsWith("_path") && s.startsWith("/")) {
                // The portal's links are queued as paths: the address the mail's reader opens is the public one.
                m.put(key.substring(0, key.length() - 5) + "_url", publicUrl + s);
            } else if (v instanceof String s && key.endsWith("_at")) {
                m.put(key, date(s, c.zone()));
            } else {
                m.put(key, v);
            }
        }
        if (n.data().containsKey("decline_reason")) {
            String code = (String) n.data().get("decline_reason");
            m.put("reason", language.optionalPhrase("decline." + code).orElse(language.phrase("decline.other")));
        }
        if (n.data().containsKey("then_action")) {
            Object action = n.data().get("then_action");
            m.put("then_what", action == null ? null : language.optionalPhrase("then." + action).orElse(null));
        }
        if (n.data().get("card_brand") instanceof String brand && n.data().get("card_last4") instanceof String last4)
            m.put("card", language.phrase("card").replace("{brand}", cardName(brand)).replace("{last4}", last4));
        else m.putIfAbsent("card", null);
        // An invoice email queued before decision 091 does not say how it is collected: it reads as it did then.
        m.putIfAbsent("charged_automatically", false);
        if (n.data().get("exp_month") instanceof Number month && n.data().get("exp_year") instanceof Number year)
            m.put("expires", YearMonth.of(year.intValue(), month.intValue()).format(language.month));
        return m;
    }

    private String date(String iso, ZoneId zone) {
        try {
            return language.date.format(Instant.parse(iso).atZone(zone));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    private static String cardName(String brand) {
        return switch (brand) {
            case "visa" -> "Visa";
            case "mastercard" -> "Mastercard";
            case "amex" -> "American Express";
            default -> brand.isEmpty() ? "card" : Character.toUpperCase(brand.charAt(0)) + brand.substring(1);
        };
    }

    /** "Hostmost GmbH · Hauptstr. 1, 10115 Berlin, DE · VAT DE123" from what the tenant filled in; null when nothing. */
    static String companyLine(SellerCompany company) {
        var d = company.details();
        if (d == null) return null;
        StringBuilder out = new StringBuilder();
        if (d.legalName() != null) out.append(d.legalName());
        var a = d.address();
        if (a != null) {
            String addr = String.join(", ", java.util.stream.Stream.of(a.line1(), a.line2(),
                            join(a.postalCode(), a.city()), a.state(), a.country())
                    .filter(s -> s != null && !s.isBlank()).toList());
            if (!addr.isEmpty()) out.append(out.isEmpty() ? "" : " · ").append(addr);
        }
        if (d.taxId() != null) out.append(out.isEmpty() ? "" : " · ").append(d.taxId());
        return out.isEmpty() ? null : out.toString();
    }

    private static String join(String a, String b) {
        if (a == null || a.isBlank()) return b;
        if (b == null || b.isBlank()) return a;
        return a + " " + b;
    }
}

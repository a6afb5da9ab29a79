package tollgate.console;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import tollgate.web.Form;
import tollgate.web.Layout;

/** The view records of the console's account and invoice pages (decision 042): formatted strings and hrefs only. */
public final class AccountViews {
    private AccountViews() {}

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMM d, yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("MMM d, yyyy HH:mm z", Locale.ENGLISH);

    /** A date as the customer's calendar has it (an account's dates are shown in its time zone, as its invoices are). */
    static String day(Instant at, ZoneId zone) {
        return at == null ? "" : DAY.format(at.atZone(zone));
    }

    /** A calendar day (a day the seller chose, such as the end of a grace), as the other dates are written. */
    static String day(java.time.LocalDate day) {
        return day == null ? "" : DAY.format(day);
    }

    /** In UTC, for tenant-wide pages that show many accounts at once (the home figures, the invoice list, the board). */
    static String day(Instant at) {
        return day(at, java.time.ZoneOffset.UTC);
    }

    static String minute(Instant at) {
        return minute(at, java.time.ZoneOffset.UTC);
    }

    static String minute(Instant at, ZoneId zone) {
        return at == null ? "" : MINUTE.format(at.atZone(zone));
    }

    /** A status word as a badge: its text and its CSS modifier. */
    public record Badge(String text, String css) {
        static Badge of(String wire) {
            String css = switch (wire) {
                case "paid", "active", "assigned", "sent", "succeeded" -> "success";
                case "open", "trialing", "unassigned", "queued", "pending", "draft" -> "info";
                case "past_due", "suspended", "failed", "declined", "uncollectible" -> "danger";
                default -> "neutral";
            };
            return new Badge(wire.replace('_', ' '), css);
        }
    }

    public record SearchRow(String href, String name, String email, String id, String created) {}

    public record SearchPage(Layout layout, String query, List<SearchRow> results, boolean searched, boolean more) {}

    public record Fact(String label, String value) {}

    public record SubscriptionRow(String id, String plan, Badge status, String seats, String periodEnd, String note,
                                  List<ActionLink> actions) {}

    public record LicenseRow(String key, String plan, Badge status, String site, String issued) {}

    public record BundleRow(String id, String plan, int size, Badge status, String created) {}

    public record InvoiceRow(String href, String number, String date, Badge status, String total, String due) {}

    public record StepRow(String date, String invoice, String action, String outcome) {}

    public record NotificationRow(String date, String template, String recipient, Badge status) {}

    public record EventRow(String date, String type, String id) {}

    public record ActionLink(String label, String href, boolean danger) {}

    public record AccountPage(Layout layout, String name, String email, String id, List<Fact> facts, List<Badge> standing,
                              List<ActionLink> actions, List<SubscriptionRow> subscriptions, String licenseCounts,
                              List<LicenseRow> licenses, List<BundleRow> bundles, List<InvoiceRow> invoices,
                              List<StepRow> pastSteps, List<StepRow> upcomingSteps, String pausedUntil,
                              List<NotificationRow> notifications,
                              List<EventRow> events) {}

    public record LineRow(String description, String period, String quantity, String amount) {}

    public record PaymentRow(String date, String method, String reference, String amount) {}

    public record AttemptRow(String date, String attempt, String method, String amount, Badge status, String reason,
                             String gateway) {}

    public record CreditRow(String number, String date, String amount, String reason) {}

    public record InvoicePage(Layout layout, String number, String id, Badge status, String accountName, String accountHref,
                              List<Fact> facts, List<LineRow> lines, List<PaymentRow> payments, List<AttemptRow> attempts,
                              List<CreditRow> credits, List<ActionLink> actions, String pdfHref) {}

    /** One field of an action's form: an input of {@code type}, or a list to choose from when {@code options} is given. */
    public record Field(String name, String label, String type, boolean required, String hint, List<Form.Option> options) {
        public Field(String name, String label, String type, boolean required, String hint) {
            this(name, label, type, required, hint, null);
        }
    }

    /** The page that asks before an action: what it does and what follows, its fields, and the one-time token. */
    public record ActionPage(Layout layout, String eyebrow, String heading, List<String> consequences, Form form,
                             List<Field> fields, String error, String action, String button, boolean danger, String cancelHref,
                             String once) {}
}

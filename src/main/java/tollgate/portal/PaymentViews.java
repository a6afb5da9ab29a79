package tollgate.portal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import tollgate.invoicing.AmountFormat;
import tollgate.payments.PaymentMethod;
import tollgate.web.Form;
import tollgate.web.Layout;

/** The view models of the payment methods and invoices pages (decision 035), and the words they share. */
public final class PaymentViews {
    private PaymentViews() {}

    /** One card as a row: "Visa •••• 4242", "Expires 12/2034", whether it is the primary. */
    public record CardRow(String id, String brand, String label, String expiry, boolean primary, String makePrimaryAction,
                          String deleteHref) {
        static CardRow of(PaymentMethod m, PortalRequest req) {
            return new CardRow(m.id(), m.brand(), brandName(m.brand()) + " ending in " + m.last4(),
                    String.format(Locale.ROOT, "%02d/%d", m.expMonth(), m.expYear()), m.primary(),
                    req.href("payment-methods/" + m.id() + "/primary"), req.href("payment-methods/" + m.id() + "/delete"));
        }
    }

    public record PaymentMethodsPage(Layout layout, List<CardRow> cards, String addHref) {}

    /** A sandbox test card to pick: its token is the radio's value. */
    public record TestCardChoice(String token, String label, String expiry, String outcome, boolean succeeds) {}

    /** Stripe's card element: what card-setup.js needs, read from data- attributes (no inline script). */
    public record StripeSetup(String publishableKey, String clientSecret, String setupIntent, String scriptHref) {}

    /** The add-card page: sandbox test cards in test mode, Stripe's element in live mode (exactly one of them). */
    public record AddCardPage(Layout layout, Form form, List<TestCardChoice> testCards, StripeSetup stripe, boolean hasCards,
                              String returnTo, String formToken, String action, String cancelHref) {}

    public record DeleteCardPage(Layout layout, CardRow card, CardRow promoted, String action, String cancelHref) {}

    public record InvoiceRow(String id, String number, String date, String status, String statusCss, String total,
                             String amountDue, String href, String pdfHref, boolean payable) {}

    public record InvoicesPage(Layout layout, List<InvoiceRow> invoices, String nextHref, String firstHref) {}

    public record PaymentRow(String date, String card, String amount) {}

    public record AttemptRow(String date, String card, String amount, String outcome) {}

    /**
     * One line of an invoice as SPEC §4 has it say what it is for: its description, the license key's suffix and site
     * ({@code detail}, or null), the days it covers (first to last day, or null) and their count, quantity and amount.
     */
    public record LineRow(String description, String detail, String period, String days, String quantity, String amount) {}

    /** A row under the lines: subtotal, a discount (shown as −$x), tax. */
    public record TotalRow(String label, String amount, boolean discount) {}

    /** {@code moreLines}: lines past the first {@link InvoicePages#LINES_SHOWN}, which the PDF lists. */
    public record InvoicePage(Layout layout, InvoiceRow invoice, String period, String dueLine, List<LineRow> lines, int moreLines,
                              List<TotalRow> totals, List<PaymentRow> payments,
                              List<AttemptRow> failures, List<Form.Option> cards, String primaryCard, String payAction,
                              String formToken, String addCardHref, String backHref, String payError) {}

    static String brandName(String brand) {
        return switch (brand == null ? "" : brand) {
            case "visa" -> "Visa";
            case "mastercard" -> "Mastercard";
            case "amex" -> "American Express";
            case "discover" -> "Discover";
            case "" -> "Card";
            default -> brand.substring(0, 1).toUpperCase(Locale.ROOT) + brand.substring(1);
        };
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMMM d, yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter DAY_NO_YEAR = DateTimeFormatter.ofPattern("MMMM d", Locale.ENGLISH);

    static String date(Instant at, ZoneId zone) {
        return at == null ? "" : DAY.format(at.atZone(zone));
    }

    /** "January 15": the seed's words for a dunning step's date. */
    static String dayAndMonth(Instant at, ZoneId zone) {
        return DAY_NO_YEAR.format(at.atZone(zone));
    }

    private static final DateTimeFormatter MONTH_DAY = DateTimeFormatter.ofPattern("MMMM d", Locale.ENGLISH);

    /**
     * The days a line covers, first to last (its end is exclusive, as in the PDF): "December 1 – 31, 2029",
     * "November 10 – December 10, 2029", "December 10, 2029 – January 10, 2030", or one day.
     */
    static String linePeriod(Instant start, Instant end, ZoneId zone) {
        java.time.LocalDate first = start.atZone(zone).toLocalDate();
        if (end == null || !end.isAfter(start)) return DAY.format(first);
        java.time.LocalDate last = end.minusMillis(1).atZone(zone).toLocalDate();
        if (first.equals(last)) return DAY.format(first);
        if (first.getYear() != last.getYear()) return DAY.format(first) + " – " + DAY.format(last);
        if (first.getMonth() != last.getMonth()) return MONTH_DAY.format(first) + " – " + DAY.format(last);
        return MONTH_DAY.format(first) + " – " + last.getDayOfMonth() + ", " + last.getYear();
    }

    static String money(long minor, String currency) {
        return AmountFormat.withSymbol(minor, currency);
    }

    /** A gateway's decline reason as a customer reads it. */
    static String declineWords(String reason) {
        if (reason == null) return "the payment was declined";
        return switch (reason) {
            case "generic_decline" -> "your card was declined";
            case "insufficient_funds" -> "your card was declined for insufficient funds";
            case "expired_card" -> "your card has expired";
            case "lost_card" -> "your card was reported lost";
            case "authentication_required" -> "your bank asks you to confirm the payment";
            case "invalid_payment_method" -> "the card can no longer be charged";
            case "no_payment_method" -> "there is no card on file";
            default -> "the payment was declined (" + reason.replace('_', ' ') + ")";
        };
    }
}

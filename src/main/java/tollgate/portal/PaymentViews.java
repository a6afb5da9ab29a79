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

    public record InvoicePage(Layout layout, InvoiceRow invoice, String period, String dueLine, List<PaymentRow> payments,
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

package tollgate.invoicing;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tollgate.core.Problem;

/**
 * How an invoice is paid (SPEC §2, as Stripe's {@code collection_method}): {@code charge_automatically} charges the
 * account's cards when it is issued (a card is required), {@code send_invoice} sends it to be paid by wire or in the
 * portal, past due {@code days_until_due} days after its issue.
 */
public record PaymentTerms(Method collectionMethod, Integer daysUntilDue) {
    /** The most days an invoice may be sent out for before it is past due (a year). */
    public static final int MAX_DAYS_UNTIL_DUE = 365;
    public static final PaymentTerms CHARGE_AUTOMATICALLY = new PaymentTerms(Method.CHARGE_AUTOMATICALLY, null);

    public enum Method {
        CHARGE_AUTOMATICALLY, SEND_INVOICE;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Method> fromWire(String wire) {
            for (Method m : values()) if (m.wire().equals(wire)) return Optional.of(m);
            return Optional.empty();
        }
    }

    public PaymentTerms {
        if ((collectionMethod == Method.SEND_INVOICE) != (daysUntilDue != null))
            throw new IllegalArgumentException("days_until_due goes with send_invoice only: " + collectionMethod + ", " + daysUntilDue);
    }

    public boolean sendsInvoice() {
        return collectionMethod == Method.SEND_INVOICE;
    }

    /** The request's {@code collection_method} and {@code days_until_due}, checked (422 naming the field otherwise). */
    public static PaymentTerms of(String method, Integer daysUntilDue) {
        Method m = method == null ? Method.CHARGE_AUTOMATICALLY : Method.fromWire(method).orElseThrow(() -> Problem.invalid(
                "collection_method", "parameter_invalid", "'collection_method' must be charge_automatically or send_invoice"));
        if (m == Method.CHARGE_AUTOMATICALLY) {
            if (daysUntilDue != null)
                throw Problem.invalid("days_until_due", "parameter_not_applicable",
                        "'days_until_due' applies to collection_method send_invoice only");
            return CHARGE_AUTOMATICALLY;
        }
        if (daysUntilDue == null) throw Problem.missing("days_until_due");
        if (daysUntilDue < 0 || daysUntilDue > MAX_DAYS_UNTIL_DUE)
            throw Problem.invalid("days_until_due", "parameter_invalid", "'days_until_due' must be between 0 and " + MAX_DAYS_UNTIL_DUE);
        return new PaymentTerms(Method.SEND_INVOICE, daysUntilDue);
    }

    public static PaymentTerms fromStored(String method, Integer daysUntilDue) {
        return new PaymentTerms(Method.fromWire(method).orElseThrow(), daysUntilDue);
    }

    /**
     * One invoice's terms when it carries lines of several origins (SPEC §2: one invoice per account and billing date):
     * sent to be paid when any part of it is, with the longest of those parts' terms, since one invoice has one due
     * date. A customer promised an invoice for a subscription is never charged for it at issue because something
     * charged automatically fell due at the same instant; what is charged automatically waits for that due date too
     * (decision 095).
     */
    public static PaymentTerms combined(List<PaymentTerms> parts) {
        Integer days = null;
        for (PaymentTerms c : parts)
            if (c.sendsInvoice()) days = days == null ? c.daysUntilDue() : Math.max(days, c.daysUntilDue());
        return days == null ? CHARGE_AUTOMATICALLY : new PaymentTerms(Method.SEND_INVOICE, days);
    }

    /** When an invoice issued at {@code issuedAt} is due: that many calendar days later, same local time; null when charged. */
    public Instant dueDate(Instant issuedAt, ZoneId zone) {
        return sendsInvoice() ? issuedAt.atZone(zone).plusDays(daysUntilDue).toInstant() : null;
    }
}

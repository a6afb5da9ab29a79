package tollgate.payments;

import java.util.List;
import java.util.Optional;

/**
 * Which card payment a refund gives back (decision 021). A refund goes back through the gateway that took the money,
 * so only card payments can be refunded, each at most what it took less what earlier refunds (but failed ones) gave
 * back. One credit note is one refund of one payment: the newest that has enough left.
 */
public final class RefundSources {
    /** A card payment of the invoice: what it took, through which gateway and charge, and what was given back since. */
    public record Refundable(String payment, String gateway, String gatewayCharge, long amount, long refunded) {
        public long left() {
            return amount - refunded;
        }
    }

    private RefundSources() {}

    /** The most one refund can give back: what is left of the card payment with most left (0 without one). */
    public static long mostRefundable(List<Refundable> payments) {
        return payments.stream().mapToLong(Refundable::left).max().orElse(0);
    }

    /** The payment that gives back {@code amount}: the newest ({@code payments} oldest first) with that much left. */
    public static Optional<Refundable> source(List<Refundable> payments, long amount) {
        return payments.reversed().stream().filter(p -> p.left() >= amount).findFirst();
    }
}

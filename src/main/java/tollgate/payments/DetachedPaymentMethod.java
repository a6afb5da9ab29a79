package tollgate.payments;

/** The answer to deleting a payment method: which one went, and which one became primary in its place (or null). */
public record DetachedPaymentMethod(String id, String promoted) {}

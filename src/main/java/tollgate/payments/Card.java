package tollgate.payments;

/**
 * What a gateway tells about the card behind a token: enough to show it to its owner, never enough to
 * charge it. {@code brand} is lower-case ({@code visa}, {@code mastercard}), {@code last4} four digits.
 * {@code customer} is the gateway's own customer the card is saved on (Stripe's {@code cus_…}), or null where the
 * gateway has none (the sandboxes): it is never shown, only compared (decision 032).
 */
public record Card(String brand, String last4, int expMonth, int expYear, String customer) {
    public Card(String brand, String last4, int expMonth, int expYear) {
        this(brand, last4, expMonth, expYear, null);
    }
}

package tollgate.payments;

/**
 * What a gateway tells about the card behind a token: enough to show it to its owner, never enough to
 * charge it. {@code brand} is lower-case ({@code visa}, {@code mastercard}), {@code last4} four digits.
 */
public record Card(String brand, String last4, int expMonth, int expYear) {}

package tollgate.payments;

import java.util.Optional;

/**
 * A payment gateway behind one interface (SPEC §5). Today it only describes the card behind a token, which
 * is all that attaching a payment method needs; charging (and the Stripe gateway) come with the payments issue.
 */
public interface Gateway {
    /** The name stored with each payment method, so that a later charge goes to the gateway that knows it. */
    String name();

    /** The card behind {@code token}, or empty when this gateway does not know the token. */
    Optional<Card> describe(String token);
}

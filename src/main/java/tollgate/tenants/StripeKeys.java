package tollgate.tenants;

/**
 * A tenant's own Stripe account (decision 044): its secret key ({@code sk_…}/{@code rk_…}) and the publishable key
 * ({@code pk_…}, may be null) the portal's Stripe.js uses. {@link #CLEAR} in a change removes them: the server-wide key
 * serves the tenant again. {@code toString} never shows the secret.
 */
public record StripeKeys(String secretKey, String publishableKey) {
    public static final StripeKeys CLEAR = new StripeKeys(null, null);

    public boolean cleared() {
        return secretKey == null;
    }

    /** What the settings show of a secret key: its prefix and last four ({@code sk_live_…4242}). */
    public static String hint(String secretKey) {
        int prefix = secretKey.indexOf('_', 3) + 1;
        return secretKey.substring(0, prefix) + "…" + secretKey.substring(secretKey.length() - 4);
    }

    @Override
    public String toString() {
        return "StripeKeys[" + (secretKey == null ? "none" : hint(secretKey)) + ", " + publishableKey + "]";
    }
}

package tollgate.core;

import java.util.Currency;
import java.util.Locale;

/** Currency codes as the API writes them: ISO 4217, lower-case. Shared by accounts and the catalog. */
public final class Currencies {
    private Currencies() {}

    /** The lower-case ISO 4217 code of {@code currency} (upper-case accepted); a 422 on {@code currency} otherwise. */
    public static String code(String currency) {
        if (currency == null) throw Problem.missing("currency");
        String upper = currency.toUpperCase(Locale.ROOT);
        if (!upper.matches("[A-Z]{3}")) throw unknown(currency);
        try {
            Currency.getInstance(upper);
        } catch (IllegalArgumentException e) {
            throw unknown(currency);
        }
        return upper.toLowerCase(Locale.ROOT);
    }

    private static Problem unknown(String currency) {
        return Problem.invalid("currency", "currency_invalid", "'" + currency + "' is not an ISO 4217 currency code");
    }
}

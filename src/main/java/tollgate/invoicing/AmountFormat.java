package tollgate.invoicing;

import java.util.Currency;
import java.util.Locale;

/**
 * Minor units written as people read them, with the currency's own number of decimals (USD 2, JPY 0, BHD 3):
 * {@code 109100} USD is {@code 1,091.00}, {@code 1091} JPY is {@code 1,091}. Integer arithmetic only.
 */
public final class AmountFormat {
    private AmountFormat() {}

    /** {@code 1,091.00}, {@code -2.73}. */
    public static String plain(long minor, String currency) {
        int digits = digits(currency);
        String magnitude = Long.toString(minor).replace("-", "");
        if (digits > 0) {
            // left-pad so that there is at least one digit before the decimal point
            magnitude = "0".repeat(Math.max(0, digits + 1 - magnitude.length())) + magnitude;
        }
        String whole = magnitude.substring(0, magnitude.length() - digits);
        String fraction = magnitude.substring(magnitude.length() - digits);
        StringBuilder grouped = new StringBuilder();
        for (int i = 0; i < whole.length(); i++) {
            if (i > 0 && (whole.length() - i) % 3 == 0) grouped.append(',');
            grouped.append(whole.charAt(i));
        }
        return (minor < 0 ? "-" : "") + grouped + (digits > 0 ? "." + fraction : "");
    }

    /** {@code USD 1,091.00}. */
    public static String withCode(long minor, String currency) {
        return currency.toUpperCase(Locale.ROOT) + " " + plain(minor, currency);
    }

    /** {@code $1,091.00}, {@code -€2.73}, {@code CHF 5.00} for currencies without a symbol of their own here. */
    public static String withSymbol(long minor, String currency) {
        String symbol = switch (currency) {
            case "usd" -> "$";
            case "eur" -> "\u20ac";
            case "gbp" -> "\u00a3";
            default -> null;
        };
        if (symbol == null) return withCode(minor, currency);
        String p = plain(minor, currency);
        return p.startsWith("-") ? "-" + symbol + p.substring(1) : symbol + p;
    }

    /** The currency's minor-unit digits; codes without one (XAU, XXX) are written as whole units. */
    public static int digits(String currency) {
        int d = Currency.getInstance(currency.toUpperCase(Locale.ROOT)).getDefaultFractionDigits();
        return Math.max(d, 0);
    }
}

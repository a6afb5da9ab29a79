package tollgate.console;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tollgate.catalog.PlanRules;
import tollgate.core.Currencies;
import tollgate.core.Problem;
import tollgate.idempotency.Idempotency;
import tollgate.invoicing.AmountFormat;
import tollgate.web.Form;
import tollgate.web.Layout;
import tollgate.web.SeeOther;

/**
 * What the catalog's forms share (decision 048). A form only turns text into the API's values — an amount typed in
 * the currency's units ("9.00") into minor units, "14" into 14 — and refuses text that is no number at all, as the
 * API's JSON parser refuses a string where a number goes. Every rule about the values is the catalog's or dunning's
 * own ({@code PlanRules}, {@code CouponRules}, {@code DunningPolicyRules}): their {@link Problem} comes back beside the
 * field it names ({@code tiers[1].up_to} is the second tier row's "up to"), in the console's words.
 */
final class CatalogForms {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern INDEXED = Pattern.compile("(tiers|steps)\\[(\\d+)]\\.(\\w+)");
    private static final Pattern QUOTED = Pattern.compile("'([a-z_]+(?:\\[\\d+]\\.[a-z_]+)?)'");

    private CatalogForms() {}

    static String newToken() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The form's one-time token (a new one when it has none, or a forged one of the wrong shape). */
    static String once(Context ctx) {
        String once = ctx.formParam("_once");
        return once == null || once.isBlank() || once.length() > 64 ? newToken() : once;
    }

    /**
     * Runs a creation once per form token (as {@code ActionForms} does for account actions, decision 042): a double
     * click or a resent form replays the first 303 instead of creating twice. The audit line is written with the
     * change; a refusal ({@link Problem}) frees the token and reaches the caller.
     */
    static void createOnce(Idempotency idempotency, Console console, Context ctx, ConsoleRequest req, Form form, java.util.List<String> fields,
                           String once, Supplier<ActionForms.Done> work) {
        StringBuilder body = new StringBuilder();
        for (String f : fields) body.append(f).append('=').append(form.value(f)).append('\n');
        Idempotency.Answer answer = idempotency.runFormWithin(new Idempotency.Scope(req.tenant(), "console"), once, "POST", ctx.path(),
                body.toString().getBytes(StandardCharsets.UTF_8), claim -> {
                    ActionForms.Done done = work.get();
                    console.audit(req, done.action(), done.objectType(), done.objectId(), done.before(), done.after());
                    return new Idempotency.Answer(303, "text/plain", done.location() + "\n" + done.flash());
                });
        String[] parts = answer.body().split("\n", 2);
        if (!answer.replayed()) console.flash(ctx, Layout.Flash.Kind.SUCCESS, parts[1]);
        throw new SeeOther(parts[0]);
    }

    /** A whole number as typed, or null when left empty; text that is not one is refused beside the field. */
    static Integer whole(Form form, String field) {
        String v = form.value(field);
        if (v.isEmpty()) return null;
        if (!v.matches("-?\\d{1,9}")) {
            form.reject(field, "Enter a whole number, like 14.");
            return null;
        }
        return Integer.parseInt(v);
    }

    /**
     * A percentage as typed: digits with at most two decimals after a point ("12.5"); a decimal comma is refused with
     * a hint rather than guessed (as {@code TypedAmount} does). The range is the coupon rules' to say.
     */
    static java.math.BigDecimal percent(Form form, String field) {
        String v = form.value(field).strip();
        if (v.isEmpty()) return null;
        if (v.matches("\\d{1,3},\\d{1,2}")) {
            form.reject(field, "Use a point for decimals, like 12.5.");
            return null;
        }
        if (!v.matches("\\d{1,3}(\\.\\d{1,2})?")) {
            form.reject(field, "Enter a percentage from 0.01 to 100, like 12.5.");
            return null;
        }
        return new java.math.BigDecimal(v);
    }

    /** {@link #whole} as a long (tier bounds). */
    static Long wholeLong(Form form, String field) {
        String v = form.value(field);
        if (v.isEmpty()) return null;
        if (!v.matches("-?\\d{1,15}")) {
            form.reject(field, "Enter a whole number, like 1000.");
            return null;
        }
        return Long.parseLong(v);
    }

    /**
     * The currency's minor-unit digits for amounts typed in its units, or -1 when the currency is not one: then the
     * currency's own refusal ({@link Currencies#code}, the API's rule) goes beside it, if an amount needs it.
     */
    static int digits(Form form, String field, boolean anAmountIsTyped, Map<String, String> labels) {
        try {
            return AmountFormat.digits(Currencies.code(form.optional(field)));
        } catch (Problem p) {
            if (anAmountIsTyped) form.reject(field, say(p, labels));
            return -1;
        }
    }

    /**
     * An amount typed in the currency's units ("9.00", "1,200", "0", "-5") in minor units, or null when left empty, as
     * {@link TypedAmount} reads it: a comma that is not a thousands separator ("9,00") is refused, naming the field
     * ({@code label}); more decimals than the currency has are refused, never rounded. Zero and negatives pass on to the
     * rules, which decide (a plan's price may be 0; no price may be negative).
     */
    static Long money(Form form, String field, String label, int digits, String currency) {
        String v = form.value(field);
        if (v.isEmpty() || digits < 0) return null;
        return switch (TypedAmount.read(v, digits)) {
            case TypedAmount.Amount a -> a.minor();
            case TypedAmount.Refused r when r.why() == TypedAmount.Why.DECIMAL_COMMA -> {
                form.reject(field, TypedAmount.commaRefused(label, currency, digits));
                yield null;
            }
            case TypedAmount.Refused r -> {
                form.reject(field, digits == 0 ? "Enter a whole amount in " + currency.toUpperCase(java.util.Locale.ROOT) + ", like 900."
                        : "Enter an amount in " + currency.toUpperCase(java.util.Locale.ROOT) + " with at most " + digits
                        + (digits == 1 ? " decimal" : " decimals") + ", like 9." + "0".repeat(digits) + ".");
                yield null;
            }
        };
    }

    /** The form field a rule's {@code field} names: {@code tiers[1].up_to} → {@code tier_up_to_1}; others as named. */
    static String fieldOf(String apiField) {
        if (apiField == null) return null;
        Matcher m = INDEXED.matcher(apiField);
        if (m.matches()) return (m.group(1).equals("tiers") ? "tier_" : "step_") + m.group(3) + "_" + m.group(2);
        int dot = apiField.indexOf('.');
        return dot < 0 ? apiField : apiField.substring(0, dot);
    }

    /**
     * A rule's refusal in the console's words: the API's quoted field names become the form's labels, and a price over
     * the cap says the cap in the currency ("at most $999,999.99").
     */
    static String say(Problem p, Map<String, String> labels) {
        if (p.code().equals("amount_too_large") && labels != null && labels.containsKey("_currency")) {
            return "At most " + AmountFormat.withSymbol(PlanRules.MAX_AMOUNT, labels.get("_currency")) + ".";
        }
        String detail = p.detail();
        Matcher m = QUOTED.matcher(detail);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String label = labels == null ? null : labels.get(fieldOf(name).replaceAll("_\\d+$", ""));
            m.appendReplacement(out, Matcher.quoteReplacement(label != null ? "“" + label + "”" : "'" + name + "'"));
        }
        m.appendTail(out);
        // The API says "null" for a bound left out; a form leaves the field empty.
        String s = out.toString().replace("must be null (no upper bound)", "must be left empty (no upper bound)")
                .replace("“Up to” null", "“Up to” empty");
        return s.endsWith(".") ? s : s + ".";
    }
}

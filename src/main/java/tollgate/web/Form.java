package tollgate.web;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a person typed into a form and what is wrong with it, field by field, so that a refused form comes back with
 * every value kept and each message beside its field. Templates read {@link #value} and {@link #error}; jte escapes both.
 */
public final class Form {
    /** A choice of a select field. */
    public record Option(String value, String label) {}

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();

    public static Form empty() {
        return new Form();
    }

    /**
     * The named fields of a posted form (missing ones as ""), stripped of surrounding white space. A field holding a NUL
     * character is refused at once, as the API's body refuses one: no text may hold it (PostgreSQL cannot store it).
     */
    public static Form posted(Context ctx, String... fields) {
        Form f = new Form();
        for (String name : fields) {
            String v = ctx.formParam(name);
            f.values.put(name, v == null ? "" : v.strip());
            if (v != null && v.indexOf('\u0000') >= 0) f.reject(name, "This field holds a NUL character, which no text may hold: remove it.");
        }
        return f;
    }

    public Form with(String field, String value) {
        values.put(field, value);
        return this;
    }

    public String value(String field) {
        return values.getOrDefault(field, "");
    }

    /** The value, or null when left empty (for optional fields). */
    public String optional(String field) {
        String v = value(field);
        return v.isEmpty() ? null : v;
    }

    /** Records what is wrong with {@code field}; the first message of a field is kept. */
    public Form reject(String field, String message) {
        errors.putIfAbsent(field, message);
        return this;
    }

    public Form require(String field, String message) {
        if (value(field).isEmpty()) reject(field, message);
        return this;
    }

    public String error(String field) {
        return errors.get(field);
    }

    public boolean hasError(String field) {
        return errors.containsKey(field);
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    public Map<String, String> errors() {
        return Map.copyOf(errors);
    }

    /** The ids of the hint and error beside {@code field}, for aria-describedby (null when neither is shown). */
    public String describedBy(String field, boolean hasHint) {
        String ids = (hasHint ? "f-" + field + "-hint " : "") + (hasError(field) ? "f-" + field + "-error" : "");
        return ids.isBlank() ? null : ids.strip();
    }

    /** A password is never sent back to the browser. */
    public Form forget(String field) {
        values.put(field, "");
        return this;
    }
}

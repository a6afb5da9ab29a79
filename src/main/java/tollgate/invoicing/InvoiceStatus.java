package tollgate.invoicing;

import java.util.Locale;

/** SPEC §4: {@code draft → open → paid | void | uncollectible}. Only a draft's lines and amounts may change. */
public enum InvoiceStatus {
    DRAFT, OPEN, PAID, VOID, UNCOLLECTIBLE;

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    public static InvoiceStatus parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}

package tollgate.invoicing;

/**
 * The numbered documents of a tenant, each its own gapless sequence: invoices {@code INV-000001}, credit notes
 * {@code CN-000001}. Six digits, more when the count outgrows them, so numbers sort by length, then text.
 */
public enum DocumentSeries {
    INVOICE("invoice", "INV"), CREDIT_NOTE("credit_note", "CN");

    private final String wire;
    private final String prefix;

    DocumentSeries(String wire, String prefix) {
        this.wire = wire;
        this.prefix = prefix;
    }

    public String wire() { return wire; }

    /** What {@link #format} puts before the digits. */
    public String prefix() { return prefix; }

    public String format(long n) {
        if (n < 1) throw new IllegalArgumentException("document numbers start at 1, not " + n);
        return String.format("%s-%06d", prefix, n);
    }
}

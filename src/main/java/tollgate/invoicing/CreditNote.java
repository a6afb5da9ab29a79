package tollgate.invoicing;

import java.time.Instant;
import java.util.List;

/**
 * A correction of an open invoice (SPEC §4): {@code amount} comes off what is due. {@code lines} says which invoice
 * lines it credits and by how much; a credit of the whole remaining amount names no lines.
 */
public record CreditNote(String id, String object, String invoice, String account, String number, String currency,
                         long amount, List<Line> lines, String reason, Instant createdAt) {

    /** What was taken off one invoice line; {@code description} repeats the line's, for reading without the invoice. */
    public record Line(String line, String description, long amount) {}

    public CreditNote {
        lines = List.copyOf(lines);
    }

    public CreditNote numbered(String newNumber) {
        return new CreditNote(id, object, invoice, account, newNumber, currency, amount, lines, reason, createdAt);
    }
}

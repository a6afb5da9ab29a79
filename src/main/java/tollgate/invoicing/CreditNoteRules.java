package tollgate.invoicing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tollgate.core.Ids;
import tollgate.core.Problem;

/**
 * The rules for a credit note. Only an open invoice can be credited. Without lines it credits everything still due.
 * A line entry credits what is left of that line, or {@code amount} of it; what is left of a line is its amount less
 * earlier credits of it. Together the entries may not exceed what is still due on the invoice. Every refusal is a
 * 409/422 naming the field, before anything is written.
 */
public final class CreditNoteRules {
    public static final int MAX_REASON = 500;
    public static final int MAX_LINES = 500;

    /** One entry of the request: an invoice line's id and, optionally, how much of it. */
    public record Entry(String line, Long amount) {}

    private CreditNoteRules() {}

    /**
     * The most a credit note may take: {@code amount}, and the refusal ({@code code}, and what the limit is, for the
     * message) of anything more. On an open invoice: what is due ({@code credit_exceeds_invoice}).
     */
    public record Cap(long amount, String code, String what) {
        static Cap due(Invoice invoice) {
            return new Cap(invoice.amountDue(), "credit_exceeds_invoice", "is due on the invoice");
        }
    }

    /**
     * The credit note (without its number yet) on an open invoice for {@code entries}, or {@code amount} (both null:
     * the whole remaining amount). {@code creditedByLine}: what earlier credit notes took off each line.
     */
    public static CreditNote credit(Invoice invoice, Map<String, Long> creditedByLine, List<Entry> entries, Long amount, String reason,
                                    Instant now) {
        if (!invoice.isOpen())
            throw Problem.conflict("invoice_not_open", "Only an open invoice can be credited; this one is " + invoice.status().wire());
        return credit(invoice, creditedByLine, entries, amount, reason, Cap.due(invoice), now);
    }

    /** As above, without the status check and up to {@code cap} (a paid invoice: what was paid and not yet given back). */
    public static CreditNote credit(Invoice invoice, Map<String, Long> creditedByLine, List<Entry> entries, Long whole, String reason,
                                    Cap cap, Instant now) {
        if (reason != null && reason.length() > MAX_REASON)
            throw Problem.invalid("reason", "parameter_invalid", "'reason' is longer than " + MAX_REASON + " characters");
        if (entries != null && whole != null)
            throw Problem.invalid("amount", "parameter_invalid", "Give 'lines' or 'amount', not both");
        List<CreditNote.Line> credited = new ArrayList<>();
        long amount;
        if (whole != null) {
            if (whole <= 0) throw Problem.invalid("amount", "parameter_invalid", "'amount' must be at least 1");
            if (whole > cap.amount())
                throw Problem.invalid("amount", cap.code(), "Only " + cap.amount() + " " + cap.what() + ", not " + whole);
            amount = whole;
        } else if (entries == null) {
            amount = cap.amount();
            if (amount <= 0) throw Problem.invalid("lines", cap.code(), "Nothing is left to credit on this invoice");
        } else {
            if (entries.isEmpty())
                throw Problem.invalid("lines", "parameter_invalid", "'lines' must name at least one line; leave it out to credit the whole invoice");
            if (entries.size() > MAX_LINES)
                throw Problem.invalid("lines", "parameter_invalid", "'lines' may have at most " + MAX_LINES + " entries");
            amount = 0;
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                String at = "lines[" + i + "]";
                Invoice.Line line = invoice.lines().stream().filter(l -> l.id().equals(e.line())).findFirst()
                        .orElseThrow(() -> Problem.invalid(at + ".line", "line_not_on_invoice",
                                "'" + e.line() + "' is not a line of this invoice"));
                if (!seen.add(line.id()))
                    throw Problem.invalid(at + ".line", "parameter_invalid", "Line '" + line.id() + "' is named twice");
                long left = line.amount() - creditedByLine.getOrDefault(line.id(), 0L);
                long take;
                if (e.amount() == null) {
                    if (left <= 0) throw Problem.invalid(at + ".line", "credit_exceeds_line", "Nothing is left to credit on line '" + line.id() + "'");
                    take = left;
                } else {
                    take = e.amount();
                    if (take <= 0) throw Problem.invalid(at + ".amount", "parameter_invalid", "'" + at + ".amount' must be at least 1");
                    if (take > left)
                        throw Problem.invalid(at + ".amount", "credit_exceeds_line",
                                "Only " + left + " is left to credit on line '" + line.id() + "', not " + take);
                }
                amount = Math.addExact(amount, take);
                credited.add(new CreditNote.Line(line.id(), line.description(), take));
            }
            if (amount > cap.amount())
                throw Problem.invalid("lines", cap.code(), "These lines credit " + amount + ", but only " + cap.amount() + " " + cap.what());
        }
        return new CreditNote(Ids.next("cn"), invoice.id(), invoice.account(), null, invoice.currency(), amount,
                credited, reason, now, CreditNote.PRE_PAYMENT, CreditNote.ISSUED, null, null, null);
    }
}

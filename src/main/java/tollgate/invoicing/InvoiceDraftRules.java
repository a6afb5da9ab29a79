package tollgate.invoicing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tollgate.core.Ids;

/**
 * The rules for turning what the billing run hands over ({@link NewInvoice}) into a draft: it is in the account's
 * currency, has at least one line, and every line says what it is for with a non-negative amount. These come from
 * our own charge sources, not from callers, so a breach is a bug: it fails loudly and the run's transaction rolls back.
 */
public final class InvoiceDraftRules {
    private InvoiceDraftRules() {}

    public static Invoice draft(NewInvoice n, String accountCurrency) {
        return draft(n, accountCurrency, false);
    }

    /**
     * What {@link #draft} makes, checked by the same rules, for a preview that is never stored: the invoice and its
     * lines get placeholder ids ({@code inv_preview}, {@code il_preview_1}, …) instead of fresh random ones, since a
     * monthly preview of 10,000 licenses would otherwise draw 10,000 ids from the system's random source (issue 13).
     */
    public static Invoice preview(NewInvoice n, String accountCurrency) {
        return draft(n, accountCurrency, true);
    }

    private static Invoice draft(NewInvoice n, String accountCurrency, boolean preview) {
        Objects.requireNonNull(n.accountId(), "accountId");
        Objects.requireNonNull(n.billingDate(), "billingDate");
        Objects.requireNonNull(n.periodStart(), "periodStart");
        Objects.requireNonNull(n.periodEnd(), "periodEnd");
        if (!accountCurrency.equals(n.currency()))
            throw new IllegalArgumentException("invoice in " + n.currency() + " for an account in " + accountCurrency);
        if (n.lines().isEmpty()) throw new IllegalArgumentException("an invoice needs at least one line");
        if (n.periodEnd().isBefore(n.periodStart())) throw new IllegalArgumentException("period ends before it starts");
        for (Discount d : n.discounts()) {
            if (d.amount() < 0) throw new IllegalArgumentException("negative discount " + d);
        }
        return Invoice.draft(preview ? "inv_preview" : Ids.next("inv"), n.accountId(), n.currency(), n.billingDate(), n.periodStart(),
                n.periodEnd(), lines(n.lines(), preview), n.discounts(), n.terms());
    }

    /** Checked lines, each with a new id. */
    static List<Invoice.Line> lines(List<InvoiceLine> lines) {
        return lines(lines, false);
    }

    private static List<Invoice.Line> lines(List<InvoiceLine> lines, boolean preview) {
        List<Invoice.Line> out = new ArrayList<>(lines.size());
        for (InvoiceLine l : lines) {
            if (l.kind() == null || l.kind().isBlank()) throw new IllegalArgumentException("a line needs a kind: " + l);
            if (l.description() == null || l.description().isBlank() || l.description().length() > InvoiceLine.MAX_DESCRIPTION)
                throw new IllegalArgumentException("a line needs a description of at most " + InvoiceLine.MAX_DESCRIPTION + " characters: " + l);
            if (l.amount() < 0 || l.quantity() < 0 || (l.days() != null && l.days() < 0))
                throw new IllegalArgumentException("a line's amount, quantity and days are never negative: " + l);
            out.add(Invoice.Line.of(preview ? "il_preview_" + (out.size() + 1) : Ids.next("il"), l));
        }
        return out;
    }
}

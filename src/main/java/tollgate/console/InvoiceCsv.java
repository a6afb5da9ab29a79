package tollgate.console;

import java.time.Instant;
import java.util.List;
import tollgate.accounts.Account;
import tollgate.invoicing.AmountFormat;
import tollgate.invoicing.Invoice;

/**
 * The invoice list as CSV (RFC 4180, decision 046): one header line, one line per invoice, CRLF line ends; a field
 * with a comma, quote or line break is quoted with its quotes doubled, and a field a spreadsheet would take for a
 * formula ({@code = + - @} first) is prefixed with an apostrophe. Amounts in decimal units of the currency (no
 * grouping), dates ISO-8601 UTC.
 */
final class InvoiceCsv {
    static final String HEADER = line(List.of("number", "id", "account_id", "account_name", "status", "currency", "billing_date",
            "issued_at", "total", "amount_paid", "amount_due"));

    private InvoiceCsv() {}

    static String row(Invoice i, Account a) {
        return line(List.of(i.number() == null ? "" : i.number(), i.id(), i.account(), a == null ? "" : a.name(), i.status().wire(),
                i.currency().toUpperCase(java.util.Locale.ROOT), iso(i.billingDate()), iso(i.issuedAt()), decimal(i.total(), i.currency()),
                decimal(i.amountPaid(), i.currency()), decimal(i.amountDue(), i.currency())));
    }

    static String decimal(long minor, String currency) {
        return AmountFormat.plain(minor, currency).replace(",", "");
    }

    private static String iso(Instant at) {
        return at == null ? "" : at.toString();
    }

    static String line(List<String> fields) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < fields.size(); k++) {
            if (k > 0) b.append(',');
            b.append(field(fields.get(k)));
        }
        return b.append("\r\n").toString();
    }

    static String field(String v) {
        String s = !v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 && !v.matches("-?[0-9.]+") ? "'" + v : v;
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}

package tollgate.cli;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The books' invariants, checked on a database as it is (a restored backup, a database after a crash): document numbers
 * gapless per tenant and series and matching the series' counter, every issued invoice's lines summing to its subtotal
 * and its total following from subtotal, discount and tax, payments and credit notes never above the total. Read only;
 * plain SQL that runs on H2 and PostgreSQL alike.
 */
final class DataCheck {
    private DataCheck() {}

    record Report(long tenants, long invoices, long creditNotes, long payments, List<String> problems) {
        String summary() {
            String checked = "checked " + invoices + " invoices, " + creditNotes + " credit notes and " + payments + " payments of "
                    + tenants + " tenants";
            return problems.isEmpty() ? "check-data: " + checked + ": no problems"
                    : "check-data: " + checked + ": " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ":";
        }
    }

    static Report run(Connection c) throws SQLException {
        List<String> problems = new ArrayList<>();
        numbers(c, "invoice", "invoices", "INV-", "number is not null", problems);
        numbers(c, "credit_note", "credit_notes", "CN-", "number is not null", problems);
        rows(c, "select i.tenant_id, i.number, i.id, i.subtotal, coalesce(sum(l.amount), 0) from invoices i "
                + "left join invoice_lines l on l.invoice_id = i.id where i.status <> 'draft' "
                + "group by i.tenant_id, i.number, i.id, i.subtotal having i.subtotal <> coalesce(sum(l.amount), 0) order by i.tenant_id, i.number",
                r -> "invoice " + r.getString(2) + " (" + r.getString(3) + ", tenant " + r.getString(1) + "): its lines sum to "
                        + r.getLong(5) + " but its subtotal is " + r.getLong(4), problems);
        rows(c, "select tenant_id, number, id, subtotal, discount, tax, total from invoices "
                + "where total <> subtotal - discount + tax order by tenant_id, number",
                r -> "invoice " + r.getString(2) + " (" + r.getString(3) + ", tenant " + r.getString(1) + "): total " + r.getLong(7)
                        + " is not subtotal " + r.getLong(4) + " − discount " + r.getLong(5) + " + tax " + r.getLong(6), problems);
        rows(c, "select i.tenant_id, i.number, i.id, i.total, sum(p.amount) from invoices i join payments p on p.invoice_id = i.id "
                + "group by i.tenant_id, i.number, i.id, i.total having sum(p.amount) > i.total order by i.tenant_id, i.number",
                r -> "invoice " + r.getString(2) + " (" + r.getString(3) + ", tenant " + r.getString(1) + "): payments of "
                        + r.getLong(5) + " are above its total " + r.getLong(4), problems);
        rows(c, "select tenant_id, number, id, total, amount_paid, applied_balance from invoices "
                + "where amount_paid + applied_balance > total order by tenant_id, number",
                r -> "invoice " + r.getString(2) + " (" + r.getString(3) + ", tenant " + r.getString(1) + "): amount paid "
                        + r.getLong(5) + " and balance applied " + r.getLong(6) + " are above its total " + r.getLong(4), problems);
        rows(c, "select i.tenant_id, i.number, i.id, i.total, sum(n.amount) from invoices i join credit_notes n on n.invoice_id = i.id "
                + "where n.status = 'issued' group by i.tenant_id, i.number, i.id, i.total having sum(n.amount) > i.total "
                + "order by i.tenant_id, i.number",
                r -> "invoice " + r.getString(2) + " (" + r.getString(3) + ", tenant " + r.getString(1) + "): credit notes of "
                        + r.getLong(5) + " are above its total " + r.getLong(4), problems);
        return new Report(count(c, "tenants"), count(c, "invoices"), count(c, "credit_notes"), count(c, "payments"), problems);
    }

    /**
     * A series is gapless when its numbers run 1…n with n its count (numbers are unique per tenant: a unique index) and
     * the tenant's counter stands at n. Only a tenant with a problem has its numbers read, to name what is missing.
     */
    private static void numbers(Connection c, String series, String table, String prefix, String numbered, List<String> problems)
            throws SQLException {
        String sql = "select t.tenant_id, t.n, t.lo, t.hi, d.last_number from (select tenant_id, count(*) n, "
                + "min(cast(substr(number, " + (prefix.length() + 1) + ") as bigint)) lo, max(cast(substr(number, " + (prefix.length() + 1)
                + ") as bigint)) hi from " + table + " where " + numbered + " group by tenant_id) t "
                + "left join document_numbers d on d.tenant_id = t.tenant_id and d.series = ? order by t.tenant_id";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, series);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String tenant = r.getString(1);
                    long n = r.getLong(2), lo = r.getLong(3), hi = r.getLong(4), counter = r.getLong(5);
                    if (lo != 1 || hi != n)
                        problems.add(series.replace('_', ' ') + " numbers of tenant " + tenant + " have gaps: " + n + " numbered, "
                                + "the highest " + prefix + String.format("%06d", hi) + "; missing " + missing(c, table, prefix, tenant, hi));
                    if (counter != hi)
                        problems.add(series.replace('_', ' ') + " counter of tenant " + tenant + " stands at " + counter
                                + " but the highest number is " + hi);
                }
            }
        }
    }

    private static String missing(Connection c, String table, String prefix, String tenant, long hi) throws SQLException {
        TreeSet<Long> have = new TreeSet<>();
        try (PreparedStatement s = c.prepareStatement("select number from " + table + " where tenant_id = ? and number is not null")) {
            s.setString(1, tenant);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) have.add(Long.parseLong(r.getString(1).substring(prefix.length())));
            }
        }
        List<String> gaps = new ArrayList<>();
        for (long i = 1; i <= hi && gaps.size() < 20; i++) if (!have.contains(i)) gaps.add(prefix + String.format("%06d", i));
        return String.join(", ", gaps) + (gaps.size() == 20 ? ", …" : "");
    }

    @FunctionalInterface
    private interface Line {
        String of(ResultSet r) throws SQLException;
    }

    private static void rows(Connection c, String sql, Line line, List<String> problems) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            while (r.next()) problems.add(line.of(r));
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select count(*) from " + table); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }
}

package tollgate.core;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Calendar months (UTC) ending with the month of an instant, for aggregate SQL that sums each month in one scan: a
 * read model adds one {@code sum(case when t >= ? and t < ? …)} column per month instead of a query per month, and
 * never needs a database's own date functions (H2 and PostgreSQL differ there).
 */
public record MonthBuckets(List<YearMonth> months, Instant asOf) {
    public static MonthBuckets lastMonths(Instant asOf, int count) {
        YearMonth last = YearMonth.from(asOf.atZone(ZoneOffset.UTC));
        List<YearMonth> months = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--) months.add(last.minusMonths(i));
        return new MonthBuckets(List.copyOf(months), asOf);
    }

    public static Instant start(YearMonth m) {
        return m.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The first instant of the first month. */
    public Instant from() {
        return start(months.get(0));
    }

    /** Where month {@code i} ends (exclusive): the next month's start, or just after {@code asOf} for the current month. */
    public Instant end(int i) {
        return i == months.size() - 1 ? asOf.plusNanos(1000) : start(months.get(i).plusMonths(1));
    }

    /** {@code sum(case when <column> >= ? and <column> < ? then <value> else 0 end) as m<i>} for each month. */
    public String sumColumns(String column, String value) {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < months.size(); i++)
            sql.append(i == 0 ? "" : ", ").append("sum(case when ").append(column).append(" >= ? and ").append(column)
                    .append(" < ? then ").append(value).append(" else 0 end) as m").append(i);
        return sql.toString();
    }

    /** The arguments of {@link #sumColumns}: each month's start and end. */
    public List<Object> sumArgs() {
        List<Object> args = new ArrayList<>();
        for (int i = 0; i < months.size(); i++) {
            args.add(start(months.get(i)));
            args.add(end(i));
        }
        return args;
    }

    /**
     * {@code sum(case when <condition> then <value> else 0 end) as m<i>} for each month, where every {@code ?} of the
     * condition is that month's {@link #end}: figures that are a state at a point (what was live when the month ended).
     */
    public String atEndColumns(String condition, String value) {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < months.size(); i++)
            sql.append(i == 0 ? "" : ", ").append("sum(case when ").append(condition).append(" then ").append(value)
                    .append(" else 0 end) as m").append(i);
        return sql.toString();
    }

    /** The arguments of {@link #atEndColumns}: each month's end, once per {@code ?} of the condition. */
    public List<Object> atEndArgs(String condition) {
        long marks = condition.chars().filter(c -> c == '?').count();
        List<Object> args = new ArrayList<>();
        for (int i = 0; i < months.size(); i++)
            for (int k = 0; k < marks; k++) args.add(end(i));
        return args;
    }

    /**
     * Sums by currency and interval (rows of currency, interval, one column per month) to monthly figures: a yearly
     * price counts a twelfth, rounded half-even once per currency and month.
     */
    public static java.util.Map<String, long[]> monthly(Iterable<? extends org.jooq.Record> rows, int count) {
        java.util.Map<String, long[]> monthSums = new java.util.TreeMap<>();
        java.util.Map<String, long[]> yearSums = new java.util.TreeMap<>();
        for (org.jooq.Record r : rows) {
            long[] into = ("year".equals(r.get(1, String.class)) ? yearSums : monthSums)
                    .computeIfAbsent(r.get(0, String.class), c -> new long[count]);
            for (int m = 0; m < count; m++) into[m] += r.get(m + 2, Long.class);
        }
        return monthly(monthSums, yearSums);
    }

    /**
     * Currency → monthly figures from the sums of monthly prices and of yearly ones (currency → one sum per month): a
     * yearly price counts a twelfth, rounded half-even once per currency and month. {@code monthSums} is added to.
     */
    public static java.util.Map<String, long[]> monthly(java.util.Map<String, long[]> monthSums, java.util.Map<String, long[]> yearSums) {
        yearSums.forEach((currency, sums) -> {
            int count = sums.length;
            long[] into = monthSums.computeIfAbsent(currency, c -> new long[count]);
            for (int m = 0; m < count; m++)
                into[m] += java.math.BigDecimal.valueOf(sums[m]).divide(java.math.BigDecimal.valueOf(12), java.math.RoundingMode.HALF_EVEN)
                        .longValueExact();
        });
        return monthSums;
    }
}

package tollgate.console;

import java.util.List;
import tollgate.web.Form;
import tollgate.web.Layout;

/** The view records of the console's home, invoice list and dunning board (decision 046): formatted strings only. */
public final class BoardViews {
    private BoardViews() {}

    /** One currency's figures on the home page. */
    public record CurrencyFigures(String currency, String invoiced, String collected, String outstanding, String pastDue,
                                  String mrr, String mrrChange, String changeCss) {}

    public record StepCount(String step, int accounts, String href) {}

    /** One row of the table beside a chart: a month and its figure. */
    public record ChartRow(String month, String value) {}

    public record ChartBlock(SvgChart.Chart chart, List<ChartRow> rows) {}

    public record Home(Layout layout, String tenantName, String month, String asOf, List<CurrencyFigures> currencies,
                       int inDunning, List<StepCount> dunning, int churned, List<ChartBlock> charts) {}

    public record InvoiceRow(String href, String number, String accountName, String accountHref, String date,
                             AccountViews.Badge status, boolean pastDue, String total, String due) {}

    public record Option(String value, String label, boolean selected) {}

    public record InvoiceList(Layout layout, Form filters, List<Option> statuses, List<Option> currencies, List<InvoiceRow> rows,
                              String nextHref, String firstHref, String csvHref, String error) {}

    public record BoardRow(String accountName, String accountHref, String pastDue, String since, String nextAction,
                           String nextDate, String paused) {}

    public record BoardColumn(String id, String step, List<BoardRow> rows, int count) {}

    public record Board(Layout layout, int inDunning, List<BoardColumn> columns, boolean truncated) {}
}

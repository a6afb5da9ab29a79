package tollgate.console;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tollgate.accounts.Account;
import tollgate.accounts.Accounts;
import tollgate.core.Page;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.invoicing.AmountFormat;
import tollgate.invoicing.Invoice;
import tollgate.invoicing.InvoiceFigures;
import tollgate.invoicing.InvoiceFilter;
import tollgate.invoicing.InvoiceStatus;
import tollgate.invoicing.Invoices;
import tollgate.tenants.Tenant;
import tollgate.web.Form;
import tollgate.web.Web;

/**
 * The tenant's invoices in the console (issue 14 point 4, decision 046): filtered by status, past due, account,
 * billing date range and currency, newest first, 50 a page by keyset ({@code after} = the last id shown), and the same
 * filtered list as CSV at {@code /console/invoices.csv}. Each row opens the invoice's page (decision 042).
 */
public final class InvoiceListPages implements ConsolePages {
    static final int PAGE = 50;
    private static final int CSV_PAGE = 100;
    static final String[] FILTERS = {"status", "past_due", "account", "from", "to", "currency"};

    private final Invoices invoices;
    private final InvoiceFigures figures;
    private final Accounts accounts;

    public InvoiceListPages(Invoices invoices, InvoiceFigures figures, Accounts accounts) {
        this.invoices = invoices;
        this.figures = figures;
        this.accounts = accounts;
    }

    @Override
    public void routes(Console console, Web.Router router) {
        router.get("/console/invoices", ctx -> list(console, ctx));
        router.get("/console/invoices.csv", ctx -> csv(console, ctx));
    }

    /** The filters as typed, and the filter they make (null when a field is wrong: its message is on the form). */
    record Filters(Form form, InvoiceFilter filter) {}

    static Filters filters(Context ctx) {
        Form form = Form.empty();
        for (String f : FILTERS) form = form.with(f, ctx.queryParam(f) == null ? "" : ctx.queryParam(f).strip());
        InvoiceStatus status = null;
        if (!form.value("status").isEmpty()) {
            try {
                status = InvoiceStatus.parse(form.value("status"));
            } catch (IllegalArgumentException e) {
                form = form.reject("status", "Choose a status from the list.");
            }
        }
        Instant from = day(form, "from", 0);
        Instant to = day(form, "to", 1);
        if (from != null && to != null && !to.isAfter(from)) form = form.reject("to", "The end date must not be before the start date.");
        String currency = form.value("currency").isEmpty() ? null : form.value("currency").toLowerCase(Locale.ROOT);
        if (currency != null && !currency.matches("[a-z]{3}")) form = form.reject("currency", "Choose a currency from the list.");
        String account = form.value("account").isEmpty() ? null : form.value("account");
        InvoiceFilter filter = new InvoiceFilter(account, status, from, to, null, currency, !form.value("past_due").isEmpty());
        return new Filters(form, form.valid() ? filter : null);
    }

    /** A yyyy-mm-dd field as the start of that day (UTC), or of the next day for an inclusive end; a wrong date marks the form. */
    private static Instant day(Form form, String field, int plusDays) {
        String v = form.value(field);
        if (v.isEmpty()) return null;
        try {
            return LocalDate.parse(v).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            form.reject(field, "Give a date as YYYY-MM-DD.");
            return null;
        }
    }

    private void list(Console console, Context ctx) {
        ConsoleRequest req = console.signedIn(ctx);
        Tenant tenant = req.tenant();
        Filters f = filters(ctx);
        String after = ctx.queryParam("after");
        List<BoardViews.InvoiceRow> rows = List.of();
        String next = null;
        String error = null;
        Form form = f.form();
        int status = 200;
        if (f.filter() != null) {
            try {
                Page<Invoice> page = invoices.listAll(tenant, f.filter(), new Paging(PAGE, after == null || after.isBlank() ? null : after));
                Map<String, Account> names = names(tenant, page.data());
                rows = page.data().stream().map(i -> row(i, names.get(i.account()))).toList();
                if (page.hasMore()) next = query(form, "after=" + enc(page.data().get(page.data().size() - 1).id()));
            } catch (Problem p) {
                status = 422;
                if ("account".equals(p.field())) form = form.reject("account", "No account of this workspace has this id.");
                else error = "That page of the list is gone (the invoices changed): start again from the first page.";
            }
        } else {
            status = 422;
        }
        Form shown = form;
        List<BoardViews.Option> statuses = new ArrayList<>();
        for (InvoiceStatus s : InvoiceStatus.values())
            statuses.add(new BoardViews.Option(s.wire(), s.wire().substring(0, 1).toUpperCase(Locale.ROOT) + s.wire().substring(1),
                    s.wire().equals(form.value("status"))));
        List<BoardViews.Option> currencies = figures.currencies(tenant).stream().map(c -> new BoardViews.Option(c,
                c.toUpperCase(Locale.ROOT), c.equalsIgnoreCase(shown.value("currency")))).toList();
        boolean paged = after != null && !after.isBlank();
        console.render(ctx, status, "console/invoices.jte", new BoardViews.InvoiceList(console.layout(ctx, req, "Invoices", "invoices"),
                form, statuses, currencies, rows, next, paged ? query(form, null) : null, "/console/invoices.csv" + query(form, null), error));
    }

    private void csv(Console console, Context ctx) throws IOException {
        ConsoleRequest req = console.signedIn(ctx);
        Filters f = filters(ctx);
        if (f.filter() == null) throw new tollgate.web.WebError(400, "Bad filter", "The filters of this export are not valid: "
                + String.join(" ", f.form().errors().values()));
        ctx.contentType("text/csv; charset=utf-8").header("Content-Disposition", "attachment; filename=\"invoices.csv\"");
        Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8);
        out.write(InvoiceCsv.HEADER);
        String after = null;
        do {
            Page<Invoice> page;
            try {
                page = invoices.listAll(req.tenant(), f.filter(), new Paging(CSV_PAGE, after));
            } catch (Problem p) {
                throw new tollgate.web.WebError(400, "Bad filter", "No account of this workspace has this id.");
            }
            Map<String, Account> names = names(req.tenant(), page.data());
            for (Invoice i : page.data()) out.write(InvoiceCsv.row(i, names.get(i.account())));
            after = page.hasMore() ? page.data().get(page.data().size() - 1).id() : null;
        } while (after != null);
        out.flush();
    }

    private Map<String, Account> names(Tenant tenant, List<Invoice> page) {
        Map<String, Account> byId = new LinkedHashMap<>();
        for (Account a : accounts.getAll(tenant, page.stream().map(Invoice::account).distinct().toList())) byId.put(a.id(), a);
        return byId;
    }

    private static BoardViews.InvoiceRow row(Invoice i, Account a) {
        return new BoardViews.InvoiceRow(InvoiceDesk.href(i.id()), i.number() == null ? "Draft " + i.id() : i.number(),
                a == null ? i.account() : a.name(), AccountPages.href(i.account()),
                AccountViews.day(i.billingDate() != null ? i.billingDate() : i.issuedAt()), AccountViews.Badge.of(i.status().wire()),
                false, AmountFormat.withSymbol(i.total(), i.currency()), AmountFormat.withSymbol(i.amountDue(), i.currency()));
    }

    /** "?status=open&…" with the non-empty filters, and {@code extra} ("after=…") when given. */
    static String query(Form form, String extra) {
        List<String> parts = new ArrayList<>();
        for (String f : FILTERS) if (!form.value(f).isEmpty()) parts.add(f + "=" + enc(form.value(f)));
        if (extra != null) parts.add(extra);
        return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

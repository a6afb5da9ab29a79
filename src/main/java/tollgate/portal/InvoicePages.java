package tollgate.portal;

import io.javalin.http.Context;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tollgate.core.Page;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.invoicing.Invoice;
import tollgate.invoicing.InvoiceStatus;
import tollgate.invoicing.Invoices;
import tollgate.payments.Payment;
import tollgate.payments.PaymentAttempt;
import tollgate.payments.PaymentMethod;
import tollgate.payments.Payments;
import tollgate.portal.PaymentViews.InvoiceRow;
import tollgate.web.Form;
import tollgate.web.Layout;
import tollgate.web.SeeOther;
import tollgate.web.Web;
import tollgate.web.WebError;

/**
 * Invoices: the account's list (newest first, 25 a page), one invoice with its receipt (the payments that settled it:
 * date, card, amount) and failed charges, its PDF (the API's, byte for byte), and Pay with a chosen card, through the
 * service behind {@code POST /v1/invoices/{id}/pay}.
 */
final class InvoicePages {
    static final int PAGE = 25;
    /** Lines shown on the invoice page; an invoice of more (one per license) says how many more the PDF lists. */
    static final int LINES_SHOWN = 200;
    private final PaymentPages p;

    InvoicePages(PaymentPages p) {
        this.p = p;
    }

    void routes(Web.Router router) {
        router.get("/portal/{slug}/invoices", this::list);
        router.get("/portal/{slug}/invoices/{id}", this::show);
        router.get("/portal/{slug}/invoices/{id}/pdf", this::pdf);
        router.post("/portal/{slug}/invoices/{id}/pay", this::pay);
    }

    private void list(Context ctx) {
        PortalRequest req = p.manager(ctx);
        String after = ctx.queryParam("starting_after");
        Page<Invoice> page;
        try {
            page = p.invoices.reads().list(req.tenant(), req.account().orElseThrow().id(), new Paging(PAGE, after));
        } catch (Problem e) {
            if (e.status() == 404) throw WebError.notFound();
            throw e;
        }
        ZoneId zone = zone(req);
        List<InvoiceRow> rows = page.data().stream().filter(i -> i.status() != InvoiceStatus.DRAFT).map(i -> row(req, i, zone)).toList();
        String next = page.hasMore() && !page.data().isEmpty() ? req.href("invoices?starting_after=" + page.data().getLast().id()) : null;
        p.portal.pages.send(ctx, "portal/invoices.jte", new PaymentViews.InvoicesPage(
                p.portal.layout(ctx, req, "Invoices", "invoices"), rows, next, after == null ? null : req.href("invoices")));
    }

    private void show(Context ctx) {
        PortalRequest req = p.manager(ctx);
        sendInvoice(ctx, req, 200, own(req, ctx.pathParam("id")), null);
    }

    private void sendInvoice(Context ctx, PortalRequest req, int status, Invoice owned, String payError) {
        ZoneId zone = zone(req);
        Invoice invoice = p.invoices.get(req.tenant(), owned.id()); // with its lines and discounts, as the API's GET
        List<PaymentMethod> cards = p.methods.list(req.tenant(), invoice.account(), new Paging(Paging.MAX_LIMIT, null)).data();
        Map<String, String> cardNames = new HashMap<>();
        for (PaymentMethod m : cards) cardNames.put(m.id(), PaymentViews.brandName(m.brand()) + " ending in " + m.last4());
        List<PaymentAttempt> attempts = p.payments.attemptsOf(req.tenant(), invoice.id());
        Map<String, String> attemptCard = new HashMap<>();
        List<PaymentViews.AttemptRow> failures = new ArrayList<>();
        for (PaymentAttempt a : attempts) {
            String card = cardNames.getOrDefault(a.paymentMethod(), "A removed card");
            attemptCard.put(a.id(), card);
            if (a.declineReason() != null)
                failures.add(new PaymentViews.AttemptRow(PaymentViews.date(a.createdAt(), zone), card,
                        PaymentViews.money(a.amount(), a.currency()), capitalized(PaymentViews.declineWords(a.declineReason()))));
        }
        List<PaymentViews.PaymentRow> paid = new ArrayList<>();
        for (Payment pay : p.payments.paymentsOf(req.tenant(), invoice.id()))
            paid.add(new PaymentViews.PaymentRow(PaymentViews.date(pay.createdAt(), zone),
                    pay.paymentAttempt() != null ? attemptCard.getOrDefault(pay.paymentAttempt(), "Card")
                            : "Recorded payment (" + pay.method() + ")",
                    PaymentViews.money(pay.amount(), pay.currency())));
        List<Form.Option> options = cards.stream().map(m -> new Form.Option(m.id(), cardNames.get(m.id())
                + (m.primary() ? " (primary)" : ""))).toList();
        String primary = cards.stream().filter(PaymentMethod::primary).map(PaymentMethod::id).findFirst().orElse(null);
        String period = invoice.periodStart() == null ? null
                : PaymentViews.date(invoice.periodStart(), zone) + " – " + PaymentViews.date(invoice.periodEnd(), zone);
        String dueLine = invoice.dueDate() != null ? "Due " + PaymentViews.date(invoice.dueDate(), zone) : null;
        p.portal.pages.send(ctx, status, "portal/invoice.jte", new PaymentViews.InvoicePage(
                p.portal.layout(ctx, req, "Invoice " + label(invoice), "invoices"), row(req, invoice, zone), period, dueLine,
                lines(invoice, zone), Math.max(0, invoice.lines().size() - LINES_SHOWN), totals(invoice),
                paid, failures, options, primary, req.href("invoices/" + invoice.id() + "/pay"), PaymentPages.newFormToken(),
                req.href("payment-methods/new?return=invoices/" + invoice.id()), req.href("invoices"), payError));
    }

    /** What each line is for (SPEC §4), as the PDF says it: description, key and site, days, quantity, amount. */
    private static List<PaymentViews.LineRow> lines(Invoice invoice, ZoneId zone) {
        List<PaymentViews.LineRow> rows = new ArrayList<>();
        for (Invoice.Line l : invoice.lines().subList(0, Math.min(LINES_SHOWN, invoice.lines().size()))) {
            List<String> detail = new ArrayList<>();
            // The key and the site under the description, unless it names them already (the billing run's lines do).
            String said = l.description() == null ? "" : l.description();
            if (l.keySuffix() != null && !said.contains(l.keySuffix())) detail.add("License key …" + l.keySuffix());
            if (l.siteUrl() != null && !said.contains(l.siteUrl())) detail.add(l.siteUrl());
            rows.add(new PaymentViews.LineRow(l.description(), detail.isEmpty() ? null : String.join(" · ", detail),
                    l.periodStart() == null ? null : PaymentViews.linePeriod(l.periodStart(), l.periodEnd(), zone),
                    l.days() == null ? null : l.days() + (l.days() == 1 ? " day" : " days"), Long.toString(l.quantity()),
                    PaymentViews.money(l.amount(), invoice.currency())));
        }
        return rows;
    }

    /** Subtotal, the discounts (each when they add up to the invoice's, else the invoice's one figure) and tax, as the PDF;
     *  a discount is named by its description ("Launch: 20% off"), as on the Billing page. */
    private static List<PaymentViews.TotalRow> totals(Invoice invoice) {
        String cur = invoice.currency();
        List<PaymentViews.TotalRow> rows = new ArrayList<>();
        rows.add(new PaymentViews.TotalRow("Subtotal", PaymentViews.money(invoice.subtotal(), cur), false));
        long listed = invoice.discounts().stream().mapToLong(tollgate.invoicing.Discount::amount).sum();
        if (invoice.discounts().size() > 1 && listed == invoice.discount()) {
            for (tollgate.invoicing.Discount d : invoice.discounts())
                rows.add(new PaymentViews.TotalRow(d.description() == null ? "Discount" : d.description(),
                        "−" + PaymentViews.money(d.amount(), cur), true));
        } else if (invoice.discount() > 0 || !invoice.discounts().isEmpty()) {
            String what = invoice.discounts().size() == 1 && invoice.discounts().getFirst().description() != null
                    ? invoice.discounts().getFirst().description() : "Discount";
            rows.add(new PaymentViews.TotalRow(what, "−" + PaymentViews.money(invoice.discount(), cur), true));
        }
        if (invoice.tax() != 0) rows.add(new PaymentViews.TotalRow("Tax", PaymentViews.money(invoice.tax(), cur), false));
        return rows;
    }

    private void pdf(Context ctx) {
        PortalRequest req = p.manager(ctx);
        Invoice invoice = own(req, ctx.pathParam("id"));
        Invoices.Pdf pdf = p.invoices.pdf(req.tenant(), invoice.id());
        ctx.header("Content-Disposition", "attachment; filename=\"" + pdf.filename().replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
        ctx.header("Cache-Control", "private, no-store");
        ctx.contentType("application/pdf").result(pdf.bytes());
    }

    private void pay(Context ctx) {
        PortalRequest req = p.manager(ctx);
        Invoice invoice = own(req, ctx.pathParam("id"));
        Form form = Form.posted(ctx, "payment_method", "form_token");
        String back = req.href("invoices/" + invoice.id());
        // A second send of the same form (double click, reload) charges nothing: the first send's answer stands.
        if (!p.firstUse(req, form.optional("form_token"))) throw new SeeOther(back);
        if (!invoice.isOpen() || invoice.amountDue() == 0) {
            p.portal.flashes.add(ctx, Layout.Flash.Kind.INFO, "Invoice " + label(invoice) + " has nothing left to pay.", req.base());
            throw new SeeOther(back);
        }
        String method = form.optional("payment_method");
        if (method == null) {
            sendInvoice(ctx, req, 422, invoice, "Choose a card to pay with, or add one.");
            return;
        }
        Payments.Round round;
        try {
            round = p.payments.pay(req.tenant(), invoice.id(), method, tollgate.core.RecoveryPoint.NONE);
        } catch (Problem e) {
            if (e.status() == 404) {
                sendInvoice(ctx, req, 422, invoice, "That card is no longer on file; choose another.");
                return;
            }
            if (e.status() == 409) {
                p.portal.flashes.add(ctx, Layout.Flash.Kind.INFO, e.getMessage(), req.base());
                throw new SeeOther(back);
            }
            throw e;
        }
        switch (round.outcome()) {
            case PAID -> p.portal.flashes.add(ctx, Layout.Flash.Kind.SUCCESS, "Thank you: invoice " + label(invoice) + " is paid ("
                    + PaymentViews.money(invoice.amountDue(), invoice.currency()) + ").", req.base());
            case FAILED -> {
                sendInvoice(ctx, req, 422, p.invoices.reads().get(req.tenant(), invoice.id()),
                        "The payment did not go through: " + PaymentViews.declineWords(round.declineReason())
                                + ". Nothing was charged. Try another card or add a new one.");
                return;
            }
            case UNDECIDED -> p.portal.flashes.add(ctx, Layout.Flash.Kind.INFO,
                    "Your bank has not answered yet. We will check again shortly; you will not be charged twice.", req.base());
            default -> p.portal.flashes.add(ctx, Layout.Flash.Kind.INFO, "Invoice " + label(invoice) + " has nothing left to pay.", req.base());
        }
        throw new SeeOther(back);
    }

    static InvoiceRow row(PortalRequest req, Invoice i, ZoneId zone) {
        boolean pastDue = i.status() == InvoiceStatus.OPEN && i.attemptCount() > 0 && i.amountDue() > 0;
        String status = switch (i.status()) {
            case OPEN -> pastDue ? "Past due" : "Open";
            case PAID -> "Paid";
            case VOID -> "Void";
            case UNCOLLECTIBLE -> "Uncollectible";
            case DRAFT -> "Draft";
        };
        String css = switch (i.status()) {
            case OPEN -> pastDue ? "danger" : "warning";
            case PAID -> "success";
            default -> "neutral";
        };
        return new InvoiceRow(i.id(), label(i), PaymentViews.date(i.issuedAt() != null ? i.issuedAt() : i.billingDate(), zone),
                status, css, PaymentViews.money(i.total(), i.currency()), PaymentViews.money(i.amountDue(), i.currency()),
                req.href("invoices/" + i.id()), req.href("invoices/" + i.id() + "/pdf"), i.isOpen() && i.amountDue() > 0);
    }

    /** The account's own invoice, or the 404 page: another account's id is as unknown as a made-up one. */
    private Invoice own(PortalRequest req, String id) {
        try {
            Invoice i = p.invoices.reads().get(req.tenant(), id);
            if (i.account().equals(req.account().orElseThrow().id()) && i.status() != InvoiceStatus.DRAFT) return i;
        } catch (Problem e) {
            if (e.status() != 404) throw e;
        }
        throw WebError.notFound();
    }

    private static String label(Invoice i) {
        return i.number() != null ? i.number() : i.id();
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static ZoneId zone(PortalRequest req) {
        return ZoneId.of(req.account().orElseThrow().timezone());
    }
}

package tollgate.api;

import java.util.ArrayList;
import java.util.List;
import tollgate.core.Problem;
import tollgate.invoicing.CreditNoteRules;
import tollgate.invoicing.InvoiceLine;
import tollgate.invoicing.InvoiceStatus;
import tollgate.invoicing.InvoiceFilter;
import tollgate.invoicing.Invoices;
import tollgate.invoicing.OneOffCharges;
import tollgate.invoicing.PaymentTerms;
import tollgate.payments.Refunds;

/** Invoices (SPEC §4, §10): reading them and their PDF, voiding, and correcting them with credit notes. */
public final class InvoicesApi implements Api {
    private static final int MAX_LINES = 100;
    private final Invoices invoices;
    private final OneOffCharges oneOff;
    private final Refunds refunds;

    public InvoicesApi(Invoices invoices, OneOffCharges oneOff, Refunds refunds) {
        this.invoices = invoices;
        this.oneOff = oneOff;
        this.refunds = refunds;
    }

    @Override
    public String openApiFragment() {
        return "invoices";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/v1/accounts/{id}/invoices", call -> invoices.list(call.tenant(), call.path("id"), call.paging())),
                Route.get("/v1/invoices", this::listAll),
                Route.post("/v1/accounts/{id}/invoices", this::createDraft).inOneTransaction(),
                Route.get("/v1/invoices/{id}", call -> invoices.get(call.tenant(), call.path("id"))),
                Route.post("/v1/invoices/{id}", call -> {
                    // Only metadata: lines change through /lines on a draft, amounts through credit notes (decision 028).
                    java.util.Map<String, String> metadata = call.body().only("metadata").optMetadata("metadata");
                    if (metadata == null) throw Problem.missing("metadata");
                    return invoices.updateMetadata(call.tenant(), call.path("id"), metadata);
                }).inOneTransaction(),
                Route.delete("/v1/invoices/{id}", call -> DeletedJson.of("invoice", oneOff.deleteDraft(call.tenant(), call.path("id")).id())),
                Route.post("/v1/invoices/{id}/finalize", call -> {
                    call.body().only();
                    return oneOff.finalizeDraft(call.tenant(), call.path("id"));
                }).inOneTransaction(),
                Route.post("/v1/invoices/{id}/mark_uncollectible", call -> {
                    call.body().only();
                    return invoices.markUncollectible(call.tenant(), call.path("id"));
                }).inOneTransaction(),
                Route.get("/v1/invoices/{id}/pdf", call -> {
                    Invoices.Pdf pdf = invoices.pdf(call.tenant(), call.path("id"));
                    return Reply.file("application/pdf", pdf.filename(), pdf.bytes());
                }),
                Route.post("/v1/invoices/{id}/lines", this::addLines).inOneTransaction(),
                Route.post("/v1/invoices/{id}/void", call -> {
                    call.body().only();
                    // A draft is voided by numbering it first (decision 024); anything else as before.
                    if (oneOff.isDraft(call.tenant(), call.path("id"))) return oneOff.voidDraft(call.tenant(), call.path("id"));
                    return invoices.voidInvoice(call.tenant(), call.path("id"));
                }).inOneTransaction(),
                Route.post("/v1/invoices/{id}/credit_notes", this::credit),
                Route.get("/v1/invoices/{id}/credit_notes", call -> invoices.creditNotes(call.tenant(), call.path("id"), call.paging())),
                Route.get("/v1/credit_notes/{id}", call -> invoices.creditNote(call.tenant(), call.path("id"))),
                Route.get("/v1/credit_notes/{id}/pdf", call -> {
                    Invoices.Pdf pdf = invoices.creditNotePdf(call.tenant(), call.path("id"));
                    return Reply.file("application/pdf", pdf.filename(), pdf.bytes());
                }));
    }

    /**
     * A credit note: on an open invoice it lowers what is due; on a paid one {@code refund_to} gives the money back.
     * A refund the gateway has not decided yet answers 202; one it refused answers 402 after its void credit note is
     * on record (as a declined pay does).
     */
    private Object credit(Call call) {
        Body b = call.body().only("lines", "amount", "reason", "refund_to");
        List<Body> lines = b.optObjects("lines");
        List<CreditNoteRules.Entry> entries = null;
        if (lines != null) {
            entries = new ArrayList<>(lines.size());
            for (Body l : lines) {
                l.only("line", "amount");
                entries.add(new CreditNoteRules.Entry(l.string("line"), l.optLong("amount")));
            }
        }
        // A retry that took over the key of a request cut off after its credit note was made answers from that note (decision 075).
        Refunds.Credited done = call.resumedFrom() != null ? refunds.resumed(call.tenant(), call.resumedFrom())
                : refunds.credit(call.tenant(), call.path("id"), entries, b.optLong("amount"), b.optString("reason"),
                        b.optString("refund_to"), call.recoveryPoint());
        return switch (done.outcome()) {
            case DONE -> done.note();
            case REFUND_PENDING -> Reply.json(202, done.note());
            case REFUND_FAILED -> throw new Problem(402, "refund_failed", "The gateway refused the refund ("
                    + done.note().refund().failureReason() + "); credit note " + done.note().id() + " is void and nothing was given back",
                    null);
        };
    }

    /** {@code GET /v1/invoices}: status, account, billing_date[gte] / billing_date[lt] (RFC 3339), number. */
    private Object listAll(Call call) {
        InvoiceStatus status = null;
        String s = call.query("status");
        if (s != null) {
            try {
                status = InvoiceStatus.parse(s);
            } catch (IllegalArgumentException e) {
                throw Problem.invalid("status", "parameter_invalid", "'status' must be draft, open, paid, void or uncollectible");
            }
        }
        String gte = call.query("billing_date[gte]");
        String lt = call.query("billing_date[lt]");
        java.time.Instant from = gte == null ? null : Call.instant("billing_date[gte]", gte);
        java.time.Instant to = lt == null ? null : Call.instant("billing_date[lt]", lt);
        if (from != null && to != null && !from.isBefore(to))
            throw Problem.invalid("billing_date[lt]", "parameter_invalid", "'billing_date[lt]' must be after 'billing_date[gte]'");
        return invoices.listAll(call.tenant(), new InvoiceFilter(call.query("account"), status, from, to, call.query("number")),
                call.paging());
    }

    /**
     * A one-off invoice: a draft (no number) with the {@code lines} given, if any; {@code pending_invoice_items_behavior}
     * {@code include} also takes the account's pending items (default {@code exclude}, as Stripe's).
     */
    private Object createDraft(Call call) {
        Body b = call.body().only("lines", "amount", "description", "pending_invoice_items_behavior", "collection_method",
                "days_until_due");
        String behavior = b.optString("pending_invoice_items_behavior");
        if (behavior != null && !behavior.equals("include") && !behavior.equals("exclude"))
            throw Problem.invalid("pending_invoice_items_behavior", "parameter_invalid",
                    "'pending_invoice_items_behavior' must be include or exclude");
        List<Body> lines = b.optObjects("lines");
        // SPEC §10's shape, `amount, description`: one line, as an invoice item is; `lines` for more than one.
        boolean single = b.has("amount") || b.has("description");
        if (single && lines != null)
            throw new Problem(422, "parameters_exclusive", "Give either 'lines' or 'amount' and 'description', not both", "amount");
        List<InvoiceLine> parsed = single ? List.of(line(b, ""))
                : lines == null || lines.isEmpty() ? List.of() : lines(lines);
        return oneOff.createDraft(call.tenant(), call.path("id"), parsed, "include".equals(behavior),
                PaymentTerms.of(b.optString("collection_method"), b.optInt("days_until_due")));
    }

    /** Only a draft takes more lines; an issued invoice answers 409 invoice_immutable. */
    private Object addLines(Call call) {
        Body b = call.body().only("lines");
        List<Body> lines = b.optObjects("lines");
        if (lines == null) throw Problem.missing("lines");
        return invoices.addLines(call.tenant(), call.path("id"), lines(lines));
    }

    private static List<InvoiceLine> lines(List<Body> lines) {
        if (lines.isEmpty() || lines.size() > MAX_LINES)
            throw Problem.invalid("lines", "parameter_invalid", "'lines' must have 1 to " + MAX_LINES + " entries");
        List<InvoiceLine> parsed = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++)
            parsed.add(line(lines.get(i).only("description", "amount", "quantity"), "lines[" + i + "]."));
        return parsed;
    }

    /** One line's {@code description}, {@code amount} and {@code quantity}, their fields named after {@code at}. */
    private static InvoiceLine line(Body l, String at) {
        String description = l.string("description");
        if (description.isBlank() || description.length() > 500)
            throw Problem.invalid(at + "description", "parameter_invalid", "'" + at + "description' must have 1 to 500 characters");
        Long amount = l.optLong("amount");
        if (amount == null) throw Problem.missing(at + "amount");
        if (amount < 0) throw Problem.invalid(at + "amount", "parameter_invalid", "'" + at + "amount' must not be negative");
        if (amount > InvoiceLine.MAX_AMOUNT)
            throw Problem.invalid(at + "amount", "amount_too_large", "'" + at + "amount' may be at most " + InvoiceLine.MAX_AMOUNT);
        Long quantity = l.optLong("quantity");
        if (quantity != null && quantity < 0)
            throw Problem.invalid(at + "quantity", "parameter_invalid", "'" + at + "quantity' must not be negative");
        return new InvoiceLine("adjustment", description.strip(), null, null, null, null, null, null, null,
                quantity == null ? 1 : quantity, null, amount);
    }
}

package tollgate.api;

import java.util.ArrayList;
import java.util.List;
import tollgate.core.Problem;
import tollgate.invoicing.CreditingInvoice;
import tollgate.invoicing.InvoiceLine;
import tollgate.invoicing.Invoices;
import tollgate.payments.Refunds;

/** Invoices (SPEC §4, §10): reading them and their PDF, voiding, and correcting them with credit notes. */
public final class InvoicesApi implements Api {
    private static final int MAX_LINES = 100;
    private final Invoices invoices;
    private final Refunds refunds;

    public InvoicesApi(Invoices invoices, Refunds refunds) {
        this.invoices = invoices;
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
                Route.get("/v1/invoices/{id}", call -> invoices.get(call.tenant(), call.path("id"))),
                Route.get("/v1/invoices/{id}/pdf", call -> {
                    Invoices.Pdf pdf = invoices.pdf(call.tenant(), call.path("id"));
                    return Reply.file("application/pdf", pdf.filename(), pdf.bytes());
                }),
                Route.post("/v1/invoices/{id}/lines", this::addLines),
                Route.post("/v1/invoices/{id}/void", call -> {
                    call.body().only();
                    return invoices.voidInvoice(call.tenant(), call.path("id"));
                }),
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
        List<CreditingInvoice.Entry> entries = null;
        if (lines != null) {
            entries = new ArrayList<>(lines.size());
            for (Body l : lines) {
                l.only("line", "amount");
                entries.add(new CreditingInvoice.Entry(l.string("line"), l.optLong("amount")));
            }
        }
        Refunds.Credited done = refunds.credit(call.tenant(), call.path("id"), entries, b.optLong("amount"), b.optString("reason"),
                b.optString("refund_to"));
        return switch (done.outcome()) {
            case DONE -> done.note();
            case REFUND_PENDING -> Reply.json(202, done.note());
            case REFUND_FAILED -> throw new Problem(402, "refund_failed", "The gateway refused the refund ("
                    + done.note().refund().failureReason() + "); credit note " + done.note().id() + " is void and nothing was given back",
                    null);
        };
    }

    /** Only a draft takes more lines; an issued invoice answers 409 invoice_immutable. */
    private Object addLines(Call call) {
        Body b = call.body().only("lines");
        List<Body> lines = b.optObjects("lines");
        if (lines == null) throw Problem.missing("lines");
        if (lines.isEmpty() || lines.size() > MAX_LINES)
            throw Problem.invalid("lines", "parameter_invalid", "'lines' must have 1 to " + MAX_LINES + " entries");
        List<InvoiceLine> parsed = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            Body l = lines.get(i).only("description", "amount", "quantity");
            String at = "lines[" + i + "].";
            String description = l.string("description");
            if (description.isBlank() || description.length() > 500)
                throw Problem.invalid(at + "description", "parameter_invalid", "'" + at + "description' must have 1 to 500 characters");
            Long amount = l.optLong("amount");
            if (amount == null) throw Problem.missing(at + "amount");
            if (amount < 0) throw Problem.invalid(at + "amount", "parameter_invalid", "'" + at + "amount' must not be negative");
            Long quantity = l.optLong("quantity");
            if (quantity != null && quantity < 0)
                throw Problem.invalid(at + "quantity", "parameter_invalid", "'" + at + "quantity' must not be negative");
            parsed.add(new InvoiceLine("adjustment", description.strip(), null, null, null, null, null, null, null,
                    quantity == null ? 1 : quantity, null, amount));
        }
        return invoices.addLines(call.tenant(), call.path("id"), parsed);
    }
}

package tollgate.console;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tollgate.accounts.Account;
import tollgate.accounts.Accounts;
import tollgate.core.Problem;
import tollgate.invoicing.AmountFormat;
import tollgate.invoicing.CreditNote;
import tollgate.invoicing.Invoice;
import tollgate.invoicing.InvoiceStatus;
import tollgate.invoicing.Invoices;
import tollgate.payments.Payments;
import tollgate.payments.Refunds;
import tollgate.web.Form;
import tollgate.web.Web;
import tollgate.web.WebError;

/**
 * One invoice in the console (issue 14 point 3, decision 042): its lines, payments, every charge attempt with the
 * gateway's answer, its credit notes, and the actions support takes on it — record a wire payment, retry the charge
 * now, issue a credit note, void, mark uncollectible — each asked first, done once, and audited.
 */
public final class InvoiceDesk implements ConsolePages {
    public record Services(Invoices invoices, Payments payments, Refunds refunds, Accounts accounts) {}

    private final Services s;
    private final ActionForms forms;

    public InvoiceDesk(Services services, ActionForms forms) {
        this.s = services;
        this.forms = forms;
    }

    static String href(String invoiceId) {
        return ConsoleRequest.href("invoices/" + invoiceId);
    }

    @Override
    public void routes(Console console, Web.Router router) {
        router.get("/console/invoices/{id}", ctx -> page(console, ctx));
        router.get("/console/invoices/{id}/pdf", ctx -> {
            ConsoleRequest req = console.signedIn(ctx);
            Invoices.Pdf pdf = s.invoices().pdf(req.tenant(), invoiceOf(req, ctx).id());
            ctx.contentType("application/pdf").header("Content-Disposition", "attachment; filename=\"" + pdf.filename() + "\"")
                    .result(pdf.bytes());
        });
        router.get("/console/invoices/{id}/act/{action}", ctx -> act(console, ctx, false));
        router.post("/console/invoices/{id}/act/{action}", ctx -> act(console, ctx, true));
    }

    private Invoice invoiceOf(ConsoleRequest req, Context ctx) {
        try {
            return s.invoices().get(req.tenant(), ctx.pathParam("id"));
        } catch (Problem p) {
            throw WebError.notFound();
        }
    }

    private static String number(Invoice i) {
        return i.number() == null ? i.id() : i.number();
    }

    private void page(Console console, Context ctx) {
        ConsoleRequest req = console.signedIn(ctx);
        Invoice i = invoiceOf(req, ctx);
        Account a = AccountPages.accountOf(s.accounts(), req.tenant(), i.account());
        java.time.ZoneId zone = java.time.ZoneId.of(a.timezone());
        String cur = i.currency();
        List<AccountViews.Fact> facts = new ArrayList<>(List.of(
                new AccountViews.Fact("Issued", AccountViews.day(i.issuedAt(), zone)),
                new AccountViews.Fact("Period", AccountViews.day(i.periodStart(), zone) + " – " + AccountViews.day(i.periodEnd(), zone)),
                new AccountViews.Fact("Total", AmountFormat.withSymbol(i.total(), cur)),
                new AccountViews.Fact("Paid", AmountFormat.withSymbol(i.amountPaid(), cur)),
                new AccountViews.Fact("Credited", AmountFormat.withSymbol(i.amountCredited(), cur)),
                new AccountViews.Fact("Amount due", AmountFormat.withSymbol(i.amountDue(), cur)),
                new AccountViews.Fact("Collection", i.collectionMethod() == null ? "" : i.collectionMethod().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))));
        if (i.nextPaymentAttempt() != null) facts.add(new AccountViews.Fact("Next charge", AccountViews.minute(i.nextPaymentAttempt(), zone)));
        List<AccountViews.LineRow> lines = i.lines().stream().map(l -> new AccountViews.LineRow(l.description(),
                AccountViews.day(l.periodStart(), zone) + " – " + AccountViews.day(l.periodEnd(), zone), String.valueOf(l.quantity()),
                AmountFormat.withSymbol(l.amount(), cur))).toList();
        List<AccountViews.PaymentRow> payments = s.payments().paymentsOf(req.tenant(), i.id()).stream()
                .map(p -> new AccountViews.PaymentRow(AccountViews.minute(p.createdAt(), zone), p.method(), p.reference() == null ? "" : p.reference(),
                        AmountFormat.withSymbol(p.amount(), cur))).toList();
        List<AccountViews.AttemptRow> attempts = s.payments().attemptsOf(req.tenant(), i.id()).stream()
                .map(t -> new AccountViews.AttemptRow(AccountViews.minute(t.createdAt(), zone), "Round " + t.attempt() + (t.position() == 0 ? "" : ", fall-back " + t.position()),
                        t.paymentMethod(), AmountFormat.withSymbol(t.amount(), cur), AccountViews.Badge.of(t.status().name().toLowerCase(java.util.Locale.ROOT)),
                        t.declineReason() == null ? "" : t.declineReason().replace('_', ' '), t.gateway() + (t.gatewayId() == null ? "" : " " + t.gatewayId())))
                .toList();
        List<AccountViews.CreditRow> credits = s.invoices().creditNotes(req.tenant(), i.id(), new tollgate.core.Paging(100, null)).data().stream()
                .map(c -> new AccountViews.CreditRow(c.number(), AccountViews.day(c.createdAt(), zone), AmountFormat.withSymbol(c.amount(), cur),
                        c.reason() == null ? "" : c.reason())).toList();
        List<AccountViews.ActionLink> actions = new ArrayList<>();
        if (req.canActOnAccounts()) for (Action act : Action.values())
            if (act.offeredOn(i)) actions.add(new AccountViews.ActionLink(act.label, href(i.id()) + "/act/" + act.path, act.danger));
        console.render(ctx, 200, "console/invoice.jte", new AccountViews.InvoicePage(console.layout(ctx, req, "Invoice " + number(i), "accounts"),
                number(i), i.id(), AccountViews.Badge.of(i.status().wire()), a.name(), AccountPages.href(a.id()), facts, lines, payments,
                attempts, credits, actions, ConsoleRequest.href("invoices/" + i.id() + "/pdf")));
    }

    /** Where a paid invoice's credit goes (the API's {@code refund_to}). */
    private static final List<Form.Option> REFUND_TO = List.of(new Form.Option("payment", "Back to the payment: a refund"),
            new Form.Option("balance", "To the customer's balance"));

    /** The invoice's actions: the path segment, the button, and on which invoices each is offered. */
    enum Action {
        RECORD_PAYMENT("record-payment", "Record a wire payment", false),
        RETRY("retry", "Retry the charge now", false),
        CREDIT("credit", "Issue a credit note", false),
        VOID("void", "Void", true),
        UNCOLLECTIBLE("uncollectible", "Mark uncollectible", true);

        final String path;
        final String label;
        final boolean danger;

        Action(String path, String label, boolean danger) {
            this.path = path;
            this.label = label;
            this.danger = danger;
        }

        boolean offeredOn(Invoice i) {
            boolean open = i.status() == InvoiceStatus.OPEN;
            return switch (this) {
                // Money that arrives for a written-off invoice is still recorded (decision 092); cards are not charged for it.
                case RECORD_PAYMENT -> i.takesPayments() && i.amountDue() > 0;
                case RETRY, VOID, UNCOLLECTIBLE -> open && i.amountDue() > 0;
                case CREDIT -> open || i.status() == InvoiceStatus.PAID;
            };
        }

        static Action of(String path) {
            for (Action a : values()) if (a.path.equals(path)) return a;
            throw WebError.notFound();
        }
    }

    private void act(Console console, Context ctx, boolean submitted) {
        ConsoleRequest req = console.signedIn(ctx);
        req.requireActOnAccounts();
        Invoice i = invoiceOf(req, ctx);
        Action action = Action.of(ctx.pathParam("action"));
        String cur = i.currency();
        String due = AmountFormat.withSymbol(i.amountDue(), cur);
        String title = action.label + " · " + number(i);
        String back = href(i.id());
        ActionForms.Spec spec = switch (action) {
            case RECORD_PAYMENT -> new ActionForms.Spec(number(i), "Record a wire payment", List.of(
                    "Records money that reached you outside the card gateway: nothing is charged.",
                    "Up to " + due + " is due. If the payment covers it, the invoice is paid and any dunning on it stops: blocked licenses and suspended services come back."),
                    List.of(new AccountViews.Field("amount", "Amount (" + cur.toUpperCase(java.util.Locale.ROOT) + ")", "text", true, "At most " + due),
                            new AccountViews.Field("reference", "Bank reference", "text", true, "As it appears on the transfer")),
                    "Record payment", false, back);
            case RETRY -> new ActionForms.Spec(number(i), "Retry the charge now", List.of(
                    "Charges " + due + " now to the account's cards: the primary first, then the fall-backs.",
                    "A declined card is recorded as an attempt; the dunning schedule keeps its dates."),
                    List.of(), "Charge " + due, false, back);
            case CREDIT -> i.status() == InvoiceStatus.PAID ? new ActionForms.Spec(number(i), "Issue a credit note or refund", List.of(
                    "A credit note with its own number and PDF for the amount, on this paid invoice.",
                    "The money goes back to the card or account it was paid with (a refund at the gateway, which may take a few "
                            + "days to reach the customer), or to the customer's balance, which their next invoices use first."),
                    List.of(new AccountViews.Field("amount", "Amount (" + cur.toUpperCase(java.util.Locale.ROOT) + ")", "text", true, null),
                            new AccountViews.Field("refund_to", "Where the money goes", "select", true, null, REFUND_TO),
                            new AccountViews.Field("reason", "Reason", "text", false, "Shown on the credit note")),
                    "Issue credit note", false, back)
                    : new ActionForms.Spec(number(i), "Issue a credit note", List.of(
                    "Lowers what the customer owes on this invoice by the amount: a credit note with its own number and PDF.",
                    "Up to " + due + " is still due."),
                    List.of(new AccountViews.Field("amount", "Amount (" + cur.toUpperCase(java.util.Locale.ROOT) + ")", "text", true, null),
                            new AccountViews.Field("reason", "Reason", "text", false, "Shown on the credit note")),
                    "Issue credit note", false, back);
            case VOID -> new ActionForms.Spec(number(i), "Void " + number(i) + "?", List.of(
                    "The invoice is cancelled for good: nothing more is charged or asked for it, and its number stays used.",
                    "Dunning on it stops. This cannot be undone."), List.of(), "Void invoice", true, back);
            case UNCOLLECTIBLE -> new ActionForms.Spec(number(i), "Mark " + number(i) + " uncollectible?", List.of(
                    "You stop trying to collect " + due + ": no more charges or reminders, and dunning on it stops.",
                    "A payment that arrives later can still be recorded on it, and pays it."), List.of(), "Mark uncollectible", true, back);
        };
        if (!submitted) {
            forms.show(console, ctx, req, title, "accounts", spec, Form.empty().with("refund_to", "payment"), 200);
            return;
        }
        forms.submit(console, ctx, req, title, "accounts", spec, (form, point) -> perform(req, i, action, form, point));
    }

    private ActionForms.Done perform(ConsoleRequest req, Invoice i, Action action, Form form, tollgate.core.RecoveryPoint point) {
        String cur = i.currency();
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("status", i.status().wire());
        before.put("amount_due", i.amountDue());
        String back = href(i.id());
        switch (action) {
            case RECORD_PAYMENT -> {
                long amount = amount(form, cur);
                Invoice after = s.payments().recordPayment(req.tenant(), i.id(), amount, "wire", form.optional("reference"));
                return new ActionForms.Done(back, "Recorded a wire payment of " + AmountFormat.withSymbol(amount, cur) + ".",
                        "invoice.wire_payment_recorded", "invoice", i.id(), before, state(after, Map.of("amount", amount,
                        "reference", form.value("reference"))));
            }
            case RETRY -> {
                Payments.Round round = s.payments().pay(req.tenant(), i.id(), null, point);
                String flash = switch (round.outcome()) {
                    case PAID -> "The charge succeeded: the invoice is paid.";
                    case PARTLY_PAID -> "Part of the invoice was paid.";
                    case FAILED -> "The charge was declined (" + String.valueOf(round.declineReason()).replace('_', ' ') + ").";
                    case NO_METHOD -> throw new Problem(402, "payment_method_required", "The account has no card to charge.", null);
                    case UNDECIDED -> "The gateway has not answered yet; it is asked again shortly, never charged twice.";
                    case NOTHING_DUE -> "Nothing was due.";
                };
                return new ActionForms.Done(back, flash, "invoice.charge_retried", "invoice", i.id(), before,
                        state(round.invoice(), Map.of("outcome", round.outcome().name().toLowerCase(java.util.Locale.ROOT))));
            }
            case CREDIT -> {
                long amount = amount(form, cur);
                String refundTo = null;
                if (i.status() == InvoiceStatus.PAID) {
                    refundTo = form.value("refund_to");
                    if (!Refunds.REFUND_TO.contains(refundTo))
                        throw new ActionForms.Refused(form.reject("refund_to", "Choose where the money goes."));
                }
                Refunds.Credited c;
                try {
                    c = s.refunds().credit(req.tenant(), i.id(), null, amount, form.optional("reason"), refundTo, point);
                } catch (Problem p) {
                    throw inUnits(p, cur);
                }
                CreditNote note = c.note();
                String issued = "Issued credit note " + note.number() + " for " + AmountFormat.withSymbol(amount, cur);
                String flash = switch (c.outcome()) {
                    case DONE -> issued + ("payment".equals(refundTo) ? ", refunded to the payment." : "balance".equals(refundTo)
                            ? ", added to the customer's balance." : ".");
                    case REFUND_PENDING -> issued + ": the refund is waiting for the gateway's answer, asked again until it comes.";
                    // As the API's 402: the credit note is void and nothing went back; the form says so, nothing is audited.
                    case REFUND_FAILED -> throw new Problem(402, "refund_failed", "The gateway refused the refund ("
                            + note.refund().failureReason() + "): credit note " + note.number() + " is void and nothing was given back.", null);
                };
                Map<String, Object> after = new LinkedHashMap<>();
                after.put("credit_note", note.id());
                after.put("amount", amount);
                if (refundTo != null) after.put("refund_to", refundTo);
                if (note.refund() != null) after.put("refund", note.refund().id() + " " + note.refund().status());
                return new ActionForms.Done(back, flash, "invoice.credit_note_issued", "invoice", i.id(), before, after);
            }
            case VOID -> {
                Invoice after = s.invoices().voidInvoice(req.tenant(), i.id());
                return new ActionForms.Done(back, number(i) + " is void.", "invoice.voided", "invoice", i.id(), before, state(after, Map.of()));
            }
            case UNCOLLECTIBLE -> {
                Invoice after = s.invoices().markUncollectible(req.tenant(), i.id());
                return new ActionForms.Done(back, number(i) + " is marked uncollectible.", "invoice.marked_uncollectible", "invoice",
                        i.id(), before, state(after, Map.of()));
            }
        }
        throw new IllegalStateException(action.name());
    }

    private static final java.util.regex.Pattern ONLY = java.util.regex.Pattern.compile("Only (\\d+) (.*), not (\\d+)");

    /**
     * The credit rules' "Only 2500 can be refunded to a card payment …, not 3000" in the currency's units, as the form's
     * amounts are typed and shown ("Only $25.00 …, not $30.00."); any other refusal as it came.
     */
    static Problem inUnits(Problem p, String currency) {
        java.util.regex.Matcher m = ONLY.matcher(p.detail() == null ? "" : p.detail());
        if (!m.matches()) return p;
        String what = m.group(2).replace("with refund_to \"balance\"", "to the customer's balance");
        return new Problem(p.status(), p.code(), "Only " + AmountFormat.withSymbol(Long.parseLong(m.group(1)), currency) + " " + what
                + ", not " + AmountFormat.withSymbol(Long.parseLong(m.group(3)), currency) + ".", p.field());
    }

    private static Map<String, Object> state(Invoice after, Map<String, ?> more) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", after.status().wire());
        m.put("amount_due", after.amountDue());
        m.putAll(more);
        return m;
    }

    /**
     * The typed amount in minor units, as {@link TypedAmount} reads it: a comma that is not a thousands separator ("1,50"),
     * more decimals than the currency has, or not a positive amount, is refused.
     */
    private static long amount(Form form, String currency) {
        int digits = AmountFormat.digits(currency);
        TypedAmount.Reading read = TypedAmount.read(form.value("amount"), digits);
        if (read instanceof TypedAmount.Refused r && r.why() == TypedAmount.Why.DECIMAL_COMMA)
            throw new ActionForms.Refused(form.reject("amount", TypedAmount.commaRefused(
                    "Amount (" + currency.toUpperCase(java.util.Locale.ROOT) + ")", currency, digits)));
        if (!(read instanceof TypedAmount.Amount a) || a.minor() <= 0)
            throw new ActionForms.Refused(form.reject("amount", "Enter an amount above zero with at most " + digits
                    + (digits == 1 ? " decimal" : " decimals") + ", like " + AmountFormat.plain((long) Math.pow(10, digits) * 12 + (digits > 0 ? 50 : 0), currency) + "."));
        return a.minor();
    }
}
